import { apiRoute } from "@/app/_server/api-route";
import { getPrisma } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

/** Accounts (never their password hashes); administrators only. */
export const GET = apiRoute({ roles: ["admin"] }, async () => {
  const prisma = await getPrisma();
  const users = await prisma.user.findMany({
    select: { id: true, username: true, displayName: true, role: true, createdAt: true, disabledAt: true },
    orderBy: { username: "asc" },
  });
  return { users };
});
