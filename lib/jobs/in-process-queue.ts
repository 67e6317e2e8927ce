import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { JobQueue, WorkOptions } from "./queue";
import { RetryLater, type JobRegistry } from "./registry";

interface Pending {
  id: string;
  kind: string;
  payload: object;
  attempts: number;
  notBefore: number;
}

/**
 * The in-process runner: the JobQueue interface on an in-memory list, for the embedded database. Jobs live as long as
 * the process; what survives a restart is the work list in the database (extraction items), which the caller
 * re-enqueues (`nac extract` resumes, the server re-enqueues unfinished items on start).
 */
export class InProcessQueue implements JobQueue {
  readonly backend = "in-process" as const;
  private pending: Pending[] = [];
  private running = 0;
  private loops: Promise<void>[] = [];
  private stopping = false;
  private wake: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private readonly name = `${hostname()}:${process.pid}`;

  constructor(
    readonly registry: JobRegistry,
    private readonly onError: (kind: string, e: unknown) => void = () => {},
  ) {}

  async send(kind: string, payloads: object[]): Promise<void> {
    this.registry.get(kind);
    for (const payload of payloads) this.pending.push({ id: randomUUID(), kind, payload, attempts: 0, notBefore: 0 });
    for (const w of this.wake.splice(0)) w();
  }

  /** Resolves when no job is pending or running. */
  idle(): Promise<void> {
    if (!this.pending.length && !this.running) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  size(): number {
    return this.pending.length + this.running;
  }

  async work(o: WorkOptions = {}): Promise<void> {
    const n = Math.max(1, o.concurrency ?? 1);
    const kinds = o.kinds ? new Set(o.kinds) : null;
    this.stopping = false;
    for (let i = 0; i < n; i++) this.loops.push(this.loop(`${this.name}:${i}`, kinds));
  }

  private next(kinds: Set<string> | null): Pending | undefined {
    const now = Date.now();
    const i = this.pending.findIndex((p) => p.notBefore <= now && (!kinds || kinds.has(p.kind)));
    return i < 0 ? undefined : this.pending.splice(i, 1)[0];
  }

  private async loop(worker: string, kinds: Set<string> | null): Promise<void> {
    while (!this.stopping) {
      const job = this.next(kinds);
      if (!job) {
        if (!this.running && !this.pending.length) for (const w of this.idleWaiters.splice(0)) w();
        await new Promise<void>((r) => {
          const t = setTimeout(r, this.pending.length ? 200 : 1000);
          this.wake.push(() => {
            clearTimeout(t);
            r();
          });
        });
        continue;
      }
      this.running++;
      const k = this.registry.get(job.kind);
      try {
        await k.handler(job.payload, { jobId: job.id, worker });
      } catch (e) {
        job.attempts++;
        if (e instanceof RetryLater || job.attempts <= k.options.retryLimit) {
          job.notBefore = Date.now() + k.options.retryDelaySeconds * 1000;
          this.pending.push(job);
        } else this.onError(job.kind, e);
      } finally {
        this.running--;
      }
    }
  }

  async stop(o: { graceful?: boolean } = {}): Promise<void> {
    this.stopping = true;
    for (const w of this.wake.splice(0)) w();
    if (o.graceful !== false) await Promise.all(this.loops);
    this.loops = [];
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
