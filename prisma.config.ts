import { defineConfig } from "prisma/config";

// Only `prisma generate` is used (see scripts/prisma-generate.sh); migrations are plain SQL applied by lib/db/migrate.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
});
