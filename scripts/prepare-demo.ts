import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "fflate";
import { fileURLToPath } from "node:url";
import type { ServerConfig } from "../lib/config/server-config";
import type { Database } from "../lib/db/database";
import { defaultModelsDir } from "../lib/deep/node/model-store";
import { ensureModels, seedDemoPatients } from "../lib/pipeline/demo/seed";
import { registerBundle } from "../lib/pipeline/register-bundle";
import { FileStore } from "../lib/storage/file-store";

/**
 * The committed demo bundle, gzipped (deterministically: no timestamp) because the JSON is ~4 MB;
 * `npm run nac -- demo train` reproduces it byte for byte.
 */
export const DEMO_BUNDLE_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../models/demo-bundle.json.gz",
);

/**
 * First-start demo content, run by `npm start` on every start with the database open and migrated, after
 * the demo accounts exist. Idempotent and fast when there is nothing to do:
 * 1. the deep encoders (`models init`; skipped by a size+mtime stamp when intact);
 * 2. synthetic demo patients, only into a database without patients;
 * 3. the demo model bundle, once per bundleId + version (active unless a site's own bundle is).
 */
export async function prepareDemo(db: Database, config: ServerConfig): Promise<void> {
  const store = new FileStore(config.storageDir);
  const deps = { prisma: db.prisma, store };
  const models = ensureModels(defaultModelsDir(), path.join(config.dataDir, "models-init-stamp.json"));
  if (models.action === "initialised")
    console.log(`deep encoders initialised (untrained encoder: demo only) in ${(models.ms / 1000).toFixed(1)} s`);

  const seeded = await seedDemoPatients(deps);
  if (seeded) {
    console.log(
      `demo patients: ${seeded.patients} synthetic patients, ${seeded.series} series, ${seeded.rois} ROIs, ${seeded.clinicalRecords} clinical records in ${(seeded.ms / 1000).toFixed(1)} s`,
    );
  }

  if (!existsSync(DEMO_BUNDLE_FILE)) {
    console.log(`demo model bundle ${DEMO_BUNDLE_FILE} not found: run \`npm run nac -- demo train\``);
    return;
  }
  const r = await registerBundle(deps, gunzipSync(new Uint8Array(readFileSync(DEMO_BUNDLE_FILE))));
  if (r.action === "registered")
    console.log(`demo model bundle ${r.bundleId} ${r.version} registered${r.isActive ? " (active)" : ""}`);
}
