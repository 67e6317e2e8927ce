// Worker entry in plain JavaScript: registers tsx in this thread, then loads the TypeScript worker (Node does not apply
// --import loader hooks to a worker's own entry module).
import { register } from "tsx/esm/api";

register();
await import("./synthetic-cohort-table-worker.ts");
