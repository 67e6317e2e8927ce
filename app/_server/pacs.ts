import path from "node:path";
import { readServerConfig } from "@/lib/config/server-config";
import { getPrisma } from "@/lib/db/prisma";
import { loadOrCreatePacsKey } from "@/lib/pacs/node/secret-box";
import type { PacsImportDeps } from "@/lib/pipeline/pacs-import";
import { getFileStore } from "@/lib/pipeline/storage";

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

/** Who may do what with the PACS (one place; the routes and pages read it). */
export const PACS_ROLES = {
  /** search, stream and view PACS studies: clinical roles and researchers (who import cohorts) */
  read: ["radiologist", "oncologist", "researcher", "admin"],
  /** import into local storage: as for dropped files */
  import: ["radiologist", "researcher", "admin"],
  /** store a saved ROI's SEG: as for saving ROIs */
  storeRoi: ["radiologist", "admin"],
  /** store a prediction's SR: as for predicting */
  storePrediction: ["radiologist", "oncologist", "admin"],
  /** configure data sources */
  configure: ["admin"],
} as const;
