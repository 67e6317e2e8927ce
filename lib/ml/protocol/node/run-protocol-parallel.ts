import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { NacError, type ErrorCode } from "../../../errors";
import { parseProtocolConfig } from "../config";
import { stratifiedPartitions } from "../partitions";
import {
  assembleResult,
  validateProtocolInput,
  type PartitionResult,
  type PipelineRecord,
  type ProtocolInput,
  type ProtocolResult,
} from "../run-protocol";
import { runTask, type WorkerInit, type WorkerMessage, type WorkerTask } from "./protocol-task";

const WORKER_YOUNG_GENERATION_MB = 8;

export interface ParallelOptions {
  /** Threads that fit pipelines at once (default: available parallelism). */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * The calling thread fits pipelines too, as one of the `workers`, so only workers - 1 threads are started (one
   * thread's memory less: a worker thread costs ~30 MiB idle and its own heap while fitting). It blocks the calling
   * thread's event loop for one pipeline at a time (seconds), so a CLI or batch process may use it, a server may not.
   * Default false.
   */
  useCallingThread?: boolean;
  /**
   * Threads from startProtocolWorkers, used (once) instead of starting new ones; surplus ones are stopped. Lets a
   * caller start them while it still reads its input (a worker thread takes ~0.1 s to load its modules).
   */
  prestarted?: ProtocolWorkers;
}

/** Worker threads started ahead of runProtocolParallel (startProtocolWorkers). */
export interface ProtocolWorkers {
  /** Stops the threads if no run took them (e.g. the input could not be read); a no-op once taken. */
  stop(): Promise<void>;
  /** @internal taken by runProtocolParallel */
  take(): Worker[];
}

// The CLI launcher (scripts/nac.mjs) bundles the worker and names the file; otherwise a JavaScript entry that
// registers tsx in the worker thread, then loads the TypeScript worker (about 1 s of transpiling per thread).
function workerUrl(): URL {
  const bundled = process.env.NAC_PROTOCOL_WORKER_BUNDLE;
  return bundled ? pathToFileURL(bundled) : new URL("./protocol-worker-boot.mjs", import.meta.url);
}

function newWorker(init: WorkerInit | null): Worker {
  // A smaller young generation than V8's default (16 MB semi-spaces): the pipelines' short-lived garbage is small,
  // and each semi-space is resident memory of its own per thread.
  return new Worker(workerUrl(), {
    workerData: init,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
}

/**
 * Starts `n` protocol worker threads that wait for their work: pass them to runProtocolParallel as `prestarted`.
 * Until then they do not keep the process alive, and an error in one is reported by the run that takes them.
 */
export function startProtocolWorkers(n: number): ProtocolWorkers {
  const workers = Array.from({ length: n }, () => newWorker(null));
  const early: unknown[] = [];
  const onError = (e: unknown) => early.push(e);
  const onExit = (code: number) => early.push(new NacError("INTERNAL", `protocol worker exited early (code ${code})`));
  for (const w of workers) {
    w.unref();
    w.on("error", onError);
    w.on("exit", onExit);
  }
  let taken = false;
  return {
    async stop() {
      if (taken) return;
      taken = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
    take() {
      if (taken) throw new NacError("INTERNAL", "prestarted protocol workers were already used");
      taken = true;
      for (const w of workers) {
        w.off("error", onError);
        w.off("exit", onExit);
        w.ref();
      }
      if (early.length) {
        for (const w of workers) void w.terminate();
        throw early[0];
      }
      return workers;
    },
  };
}

/**
 * runProtocol on worker threads (Node only): partitions and the final fit are independent. Each thread (the workers,
 * and the calling thread with `useCallingThread`) claims the next task from a shared atomic counter, so no thread
 * waits for work to be dealt out. Every task computes exactly what the serial runner computes, so the result is
 * identical (only elapsedMs differs). The data are shared read-only through a SharedArrayBuffer.
 */
export async function runProtocolParallel(
  input: ProtocolInput,
  configInput: unknown = {},
  opts: ParallelOptions = {},
): Promise<ProtocolResult> {
  const t0 = performance.now();
  const config = parseProtocolConfig(configInput);
  validateProtocolInput(input);
  const parts = stratifiedPartitions(input.y, config.partitions, config.trainFraction, config.seed);
  const tasks: WorkerTask[] = parts.map((p, index) => ({ kind: "partition", index, train: p.train, test: p.test }));
  if (config.finalModel) tasks.push({ kind: "final" });
  const nThreads = Math.max(1, Math.min(opts.workers ?? availableParallelism(), tasks.length));
  const inline = opts.useCallingThread === true;
  const nWorkers = inline ? nThreads - 1 : nThreads;

  const shared = new Float64Array(new SharedArrayBuffer(input.X.data.byteLength));
  shared.set(input.X.data);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const init: WorkerInit = {
    data: shared,
    rows: input.X.rows,
    cols: input.X.cols,
    y: input.y,
    featureNames: input.featureNames,
    config,
    tasks,
    next,
  };
  const prestarted = opts.prestarted?.take() ?? [];
  for (const w of prestarted.splice(nWorkers)) void w.terminate();

  const partitions: PartitionResult[] = new Array(parts.length);
  let final: PipelineRecord | undefined;
  let done = 0;
  let failure: unknown = null;
  const store = (task: WorkerTask, result: unknown) => {
    if (task.kind === "final") final = result as PipelineRecord;
    else partitions[task.index] = result as PartitionResult;
    opts.onProgress?.(++done, tasks.length);
  };
  const workers: Worker[] = [];
  try {
    const finished = Array.from(
      { length: nWorkers },
      (_, i) =>
        new Promise<void>((resolve, reject) => {
          const early = prestarted[i];
          const w = early ?? newWorker(init);
          if (early) early.postMessage(init);
          workers.push(w);
          let finishedOk = false;
          w.on("message", (m: WorkerMessage) => {
            if (m.kind === "finished") {
              finishedOk = true;
              resolve();
            } else if (m.kind === "failed") {
              failure ??= new NacError((m.code ?? "INTERNAL") as ErrorCode, m.message ?? "worker failed");
              reject(failure);
            } else store(m.task, m.result);
          });
          w.on("error", (e) => {
            failure ??= e;
            reject(e);
          });
          w.on("exit", (code) => {
            if (finishedOk) return;
            const e = new NacError("INTERNAL", `protocol worker exited with code ${code} before finishing`);
            failure ??= e;
            reject(e);
          });
        }),
    );
    // Unhandled until awaited below; a rejection also sets `failure`, which stops the calling thread's loop.
    for (const f of finished) f.catch(() => undefined);
    if (inline) {
      const local: ProtocolInput = { X: input.X, y: input.y, featureNames: input.featureNames };
      for (;;) {
        // Lets worker results and errors in between two pipelines.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (failure) break;
        const i = Atomics.add(next, 0, 1);
        if (i >= tasks.length) break;
        store(tasks[i], runTask(local, config, tasks[i]));
      }
    }
    await Promise.all(finished);
    if (failure) throw failure;
  } finally {
    // Stops the other threads early after a failure (they would otherwise finish their claimed tasks).
    Atomics.store(next, 0, tasks.length);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return assembleResult(input, config, partitions, final, performance.now() - t0);
}
