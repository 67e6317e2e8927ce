/** Worker thread for run-protocol-parallel.ts: fits the partitions / final model it is sent. */
import { parentPort, workerData } from "node:worker_threads";
import type { ProtocolConfig } from "../config";
import { fitFinal, runPartition, type ProtocolInput } from "../run-protocol";

interface Init {
  data: Float64Array;
  rows: number;
  cols: number;
  y: Uint8Array;
  featureNames: string[];
  config: ProtocolConfig;
}
export type WorkerTask = { kind: "partition"; index: number; train: number[]; test: number[] } | { kind: "final" };

const init = workerData as Init;
const input: ProtocolInput = { X: { data: init.data, rows: init.rows, cols: init.cols }, y: init.y, featureNames: init.featureNames };

parentPort!.on("message", (task: WorkerTask) => {
  try {
    const result = task.kind === "final" ? fitFinal(input, init.config) : runPartition(input, init.config, task.index, task);
    parentPort!.postMessage({ ok: true, task, result });
  } catch (e) {
    const err = e as { code?: string; message?: string };
    parentPort!.postMessage({ ok: false, task, code: err.code ?? "INTERNAL", message: err.message ?? String(e) });
  }
});
