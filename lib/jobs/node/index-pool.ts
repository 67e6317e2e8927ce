/**
 * A pool of worker threads fed one index at a time (Node only). Each worker receives `{ index }` and answers
 * `{ ok: true, ... }` or `{ ok: false, index, code, message }`; the first failure, worker error or non-zero exit rejects
 * the whole run, and every worker is terminated at the end either way.
 */
import { Worker } from "node:worker_threads";
import { NacError, type ErrorCode } from "../../errors";

export type IndexWorkerMessage<T> = ({ ok: true } & T) | { ok: false; index: number; code: string; message: string };

export interface IndexPoolOptions<T> {
  /** the worker's boot script */
  url: URL;
  workerData: unknown;
  indices: number[];
  workers: number;
  /** names an item in a failure, e.g. "synthetic patient" */
  itemName: string;
  onResult: (m: T) => void;
}

export async function runIndexPool<T>(o: IndexPoolOptions<T>): Promise<void> {
  const queue = [...o.indices];
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from(
        { length: queue.length ? Math.max(1, o.workers) : 0 },
        () =>
          new Promise<void>((resolve, reject) => {
            const w = new Worker(o.url, { workerData: o.workerData });
            workers.push(w);
            const next = () => {
              const i = queue.shift();
              if (i === undefined) return resolve();
              w.postMessage({ index: i });
            };
            w.on("message", (m: IndexWorkerMessage<T>) => {
              if (!m.ok) return reject(new NacError(m.code as ErrorCode, `${o.itemName} ${m.index}: ${m.message}`));
              o.onResult(m);
              next();
            });
            w.on("error", reject);
            w.on("exit", (code) => {
              if (code !== 0) reject(new NacError("INTERNAL", `feature worker exited with code ${code}`));
            });
            next();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
