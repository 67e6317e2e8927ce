import path from "node:path";
import { readServerConfig } from "@/lib/config/server-config";
import { getPrisma } from "@/lib/db/prisma";
import { loadOrCreatePacsKey } from "@/lib/pacs/node/secret-box";
import type { PacsImportDeps } from "@/lib/pipeline/pacs/import";
import { getFileStore } from "@/lib/storage/server-store";

/** The PACS services' dependencies in the server process (secret key and staging folder in the data directory). */
export async function pacsDeps(): Promise<PacsImportDeps> {
  const cfg = readServerConfig();
  let key: Buffer | undefined;
  return {
    prisma: await getPrisma(),
    // read (or created) only by the calls that open a secret
    get secretKey() {
      key ??= loadOrCreatePacsKey(cfg.dataDir);
      return key;
    },
    store: getFileStore(),
    stagingDir: path.join(cfg.dataDir, "pacs-staging"),
  };
}
