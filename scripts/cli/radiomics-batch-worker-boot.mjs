// Worker entry in plain JavaScript: registers tsx in this thread, then loads the TypeScript worker. (Node 20 does not
// apply --import loader hooks to a worker's own entry module, so execArgv alone cannot start a .ts worker.)
import { register } from "tsx/esm/api";

register();
await import("./radiomics-batch-worker.ts");
