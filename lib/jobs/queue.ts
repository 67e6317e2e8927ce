/**
 * The job queue interface, with two backends of the same behaviour: pg-boss on a PostgreSQL server (several worker
 * processes on several machines share the work; a killed worker's job expires and goes to another) and an in-process
 * runner for the embedded PGlite database (which admits one process). Delivery is at least once on both: handlers
 * make it exactly-once for their work (the extraction handler claims its item with a lease and skips stored results).
 */
import type { JobRegistry } from "./registry";

export interface WorkOptions {
  /** Jobs processed at once by this worker (default 1). CPU-bound jobs gain from one worker process per core. */
  concurrency?: number;
  /** Only these kinds (default: every registered kind). */
  kinds?: string[];
}

export interface JobQueue {
  readonly backend: "pg-boss" | "in-process";
  readonly registry: JobRegistry;
  /** Adds jobs of one kind. */
  send(kind: string, payloads: object[]): Promise<void>;
  /** Starts consuming jobs in this process. */
  work(options?: WorkOptions): Promise<void>;
  /** Stops consuming; waits for the jobs in hand to finish when graceful (default). */
  stop(options?: { graceful?: boolean }): Promise<void>;
}
