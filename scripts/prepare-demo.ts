import type { ServerConfig } from "../lib/config/server-config";
import type { Database } from "../lib/db/database";

/**
 * First-start demo content (issue 7): synthetic patients and the default model bundle.
 * Not built yet: the synthetic cohort generator and the demo bundle land with lib/synth; until then the worklist is empty.
 */
export async function prepareDemo(_db: Database, _config: ServerConfig): Promise<void> {}
