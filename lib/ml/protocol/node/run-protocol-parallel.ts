import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { NacError, type ErrorCode } from "../../../errors";
import { parseProtocolConfig } from "../config";
import { stratifiedPartitions } from "../partitions";
import { assembleResult, validateProtocolInput, type PartitionResult, type PipelineRecord, type ProtocolInput, type ProtocolResult } from "../run-protocol";
import type { WorkerTask } from "./protocol-worker";

/**
 * runProtocol on worker threads (Node only): partitions and the final fit are independent, so they are dealt to
 * `workers` threads. Every task computes exactly what the serial runner computes, so the result is identical
 * (only elapsedMs differs). The data are shared read-only through a SharedArrayBuffer.
 */
export async function runProtocolParallel(
  input: ProtocolInput,
  configInput: unknown = {},
  opts: { workers?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<ProtocolResult> {
  const t0 = performance.now();
  const config = parseProtocolConfig(configInput);
  validateProtocolInput(input);
  const parts = stratifiedPartitions(input.y, config.partitions, config.trainFraction, config.seed);
  const tasks: WorkerTask[] = parts.map((p, index) => ({ kind: "partition", index, train: p.train, test: p.test }));
  if (config.finalModel) tasks.push({ kind: "final" });
  const nWorkers = Math.max(1, Math.min(opts.workers ?? availableParallelism(), tasks.length));

  const shared = new Float64Array(new SharedArrayBuffer(input.X.data.byteLength));
  shared.set(input.X.data);
  const workerData = { data: shared, rows: input.X.rows, cols: input.X.cols, y: input.y, featureNames: input.featureNames, config };
  // A JavaScript entry that registers tsx in the worker thread, then loads the TypeScript worker.
  const url = new URL("./protocol-worker-boot.mjs", import.meta.url);

  const partitions: PartitionResult[] = new Array(parts.length);
  let final: PipelineRecord | undefined;
  let done = 0;
  const queue = tasks.slice();
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: nWorkers }, () =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(url, { workerData });
          workers.push(w);
          const next = () => {
            const t = queue.shift();
            if (!t) { resolve(); return; }
            w.postMessage(t);
          };
          w.on("message", (m: { ok: boolean; task: WorkerTask; result?: unknown; code?: string; message?: string }) => {
            if (!m.ok) { reject(new NacError((m.code ?? "INTERNAL") as ErrorCode, m.message ?? "worker failed")); return; }
            if (m.task.kind === "final") final = m.result as PipelineRecord;
            else partitions[m.task.index] = m.result as PartitionResult;
            opts.onProgress?.(++done, tasks.length);
            next();
          });
          w.on("error", reject);
          w.on("exit", (code) => { if (code !== 0) reject(new NacError("INTERNAL", `protocol worker exited with code ${code}`)); });
          next();
        }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return assembleResult(input, config, partitions, final, performance.now() - t0);
}
