/**
 * Job kinds and their handlers: one registry for every queue backend, so that other kinds ("experiment", "predict")
 * register the same way as "extract-block". A handler gets its payload and returns; throwing RetryLater puts the job
 * back (another worker holds the item), any other error is a failure of the job (retried up to `retryLimit`).
 * Framework-free; no database.
 */
export interface JobContext {
  jobId: string;
  /** This worker's name (host:pid:n), recorded on the items it computes. */
  worker: string;
}

export type JobHandler<P = unknown> = (payload: P, ctx: JobContext) => Promise<void>;

export interface JobKindOptions {
  /** A job not finished within this time is given to another worker (pg-boss expiry). */
  expireInSeconds: number;
  retryLimit: number;
  retryDelaySeconds: number;
}

export interface JobKind<P = unknown> {
  kind: string;
  handler: JobHandler<P>;
  options: JobKindOptions;
}

/** Thrown by a handler when the job cannot run now (e.g. another worker holds a live lease on its item). */
export class RetryLater extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetryLater";
  }
}

export const DEFAULT_JOB_OPTIONS: JobKindOptions = { expireInSeconds: 900, retryLimit: 5, retryDelaySeconds: 5 };

export class JobRegistry {
  private readonly kinds = new Map<string, JobKind>();

  register<P>(kind: string, handler: JobHandler<P>, options: Partial<JobKindOptions> = {}): void {
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(kind)) throw new Error(`job kind "${kind}": lower-case letters, digits and '-'`);
    if (this.kinds.has(kind)) throw new Error(`job kind "${kind}" is already registered`);
    this.kinds.set(kind, { kind, handler: handler as JobHandler, options: { ...DEFAULT_JOB_OPTIONS, ...options } });
  }

  get(kind: string): JobKind {
    const k = this.kinds.get(kind);
    if (!k) throw new Error(`no handler registered for job kind "${kind}"`);
    return k;
  }

  list(): JobKind[] {
    return [...this.kinds.values()];
  }
}
