/**
 * Worker thread for run-protocol-parallel.ts: claims tasks from the shared counter until none is left, then exits.
 * Started with its WorkerInit as workerData, or without (startProtocolWorkers: started early, while the caller still
 * reads its input) and then given it as the first message.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ProtocolInput } from "../run-protocol";
import { runTask, type WorkerInit, type WorkerMessage } from "./protocol-task";

if (workerData) run(workerData as WorkerInit);
else parentPort!.once("message", (init: WorkerInit) => run(init));

function run(init: WorkerInit): void {
  const input: ProtocolInput = {
    X: { data: init.data, rows: init.rows, cols: init.cols },
    y: init.y,
    featureNames: init.featureNames,
  };

  let failed = false;
  for (;;) {
    const i = Atomics.add(init.next, 0, 1);
    if (i >= init.tasks.length) break;
    const task = init.tasks[i];
    let msg: WorkerMessage;
    try {
      msg = { kind: "result", task, result: runTask(input, init.config, task) };
    } catch (e) {
      const err = e as { code?: string; message?: string };
      msg = { kind: "failed", task, code: err.code ?? "INTERNAL", message: err.message ?? String(e) };
    }
    parentPort!.postMessage(msg);
    if (msg.kind === "failed") {
      failed = true;
      break;
    }
  }
  if (failed) {
    // Stay alive (the listener keeps the thread open) until the caller terminates this worker, so the "failed" message
    // cannot race the thread's exit.
    parentPort!.on("message", () => undefined);
  } else parentPort!.postMessage({ kind: "finished" } satisfies WorkerMessage);
}
