import { hostname } from "node:os";
import PgBoss from "pg-boss";
import type { JobQueue, WorkOptions } from "./queue";
import type { JobKindOptions, JobRegistry } from "./registry";

/** PostgreSQL's SQLSTATE for a transaction it aborted to break a deadlock. */
const DEADLOCK_DETECTED = "40P01";

export interface PgBossQueueOptions {
  /** postgresql:// URL of the server (NACpredict's `?schema=` parameter is not passed on). */
  connectionString: string;
  /** Schema of pg-boss' own tables (default "pgboss"). */
  schema?: string;
  /** How often expired jobs are returned to the queue (default 30 s; tests use 1 s). */
  maintenanceIntervalSeconds?: number;
  pollingIntervalSeconds?: number;
}

/**
 * pg-boss backend. Each registered kind is a pg-boss queue whose retry and expiry come from the kind's options; a
 * worker process calls work() with its concurrency (that many pollers, one job each). pg-boss marks a job active
 * while a worker holds it; if the worker dies (kill -9, machine lost), the job expires after expireInSeconds and is
 * retried by any worker.
 */
export class PgBossQueue implements JobQueue {
  readonly backend = "pg-boss" as const;
  private readonly boss: PgBoss;
  private started: Promise<void> | null = null;
  private readonly name = `${hostname()}:${process.pid}`;

  constructor(
    readonly registry: JobRegistry,
    private readonly o: PgBossQueueOptions,
  ) {
    const u = new URL(o.connectionString);
    u.searchParams.delete("schema");
    this.boss = new PgBoss({
      connectionString: u.toString(),
      schema: o.schema ?? "pgboss",
      maintenanceIntervalSeconds: o.maintenanceIntervalSeconds ?? 30,
      max: 4,
    });
    this.boss.on("error", (e) => process.stderr.write(`pg-boss: ${(e as Error).message}\n`));
  }

  private start(): Promise<void> {
    this.started ??= (async () => {
      await this.boss.start();
      for (const k of this.registry.list()) await this.createQueue(k.kind, k.options);
    })();
    return this.started;
  }

  /**
   * pg-boss 10 creates a queue outside its advisory lock (a partition attached to its job table), so two processes
   * starting at once on a fresh schema can deadlock in PostgreSQL: the victim retries, the other's queue is then there.
   */
  private async createQueue(kind: string, options: JobKindOptions): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.boss.createQueue(kind, {
          name: kind,
          retryLimit: options.retryLimit,
          retryDelay: options.retryDelaySeconds,
          expireInSeconds: options.expireInSeconds,
        });
        return;
      } catch (e) {
        // two processes creating the same queue at once: the loser finds it created
        if (await this.boss.getQueue(kind)) return;
        if ((e as { code?: string }).code !== DEADLOCK_DETECTED || attempt >= 5) throw e;
        await new Promise((r) => setTimeout(r, 100 * attempt + Math.random() * 200));
      }
    }
  }

  async send(kind: string, payloads: object[]): Promise<void> {
    const k = this.registry.get(kind);
    await this.start();
    for (let i = 0; i < payloads.length; i += 500) {
      await this.boss.insert(
        payloads.slice(i, i + 500).map((data) => ({
          name: kind,
          data,
          retryLimit: k.options.retryLimit,
          retryDelay: k.options.retryDelaySeconds,
          expireInSeconds: k.options.expireInSeconds,
        })),
      );
    }
  }

  async work(o: WorkOptions = {}): Promise<void> {
    await this.start();
    const kinds = o.kinds ?? this.registry.list().map((k) => k.kind);
    const n = Math.max(1, o.concurrency ?? 1);
    for (const kind of kinds) {
      const k = this.registry.get(kind);
      for (let i = 0; i < n; i++) {
        const worker = `${this.name}:${i}`;
        const registration: { workerId?: string } = {};
        // A throw (RetryLater included) fails the job; pg-boss retries it after retryDelay, up to retryLimit.
        registration.workerId = await this.boss.work<object>(
          kind,
          { batchSize: 1, pollingIntervalSeconds: this.o.pollingIntervalSeconds ?? 1 },
          async ([job]) => {
            try {
              await k.handler(job.data, { jobId: job.id, worker });
            } finally {
              // pg-boss sleeps out the rest of its polling interval after every job, even with more queued: a job
              // that finds its item already computed with its series (most extraction jobs) took milliseconds, and
              // the worker then sat idle for most of a second (~40 % of a 177-patient extraction). Notified, it
              // fetches at once; with nothing to fetch it sleeps as before.
              if (registration.workerId) this.boss.notifyWorker(registration.workerId);
            }
          },
        );
      }
    }
  }

  async stop(o: { graceful?: boolean } = {}): Promise<void> {
    if (!this.started) return;
    await this.started.catch(() => {});
    await this.boss.stop({ graceful: o.graceful !== false, wait: true, timeout: 60_000 });
  }
}
