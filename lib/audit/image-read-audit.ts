import type { PrismaClient } from "../../generated/prisma/client";
import { recordAudit } from "./audit-log";

/**
 * Image reads are audited per series, not per frame: a viewer fetching 160 slices of a series writes one
 * `series.images_read` row, and another one only when the same user reads the same series again after the window.
 * The viewer fetches frames in parallel, so the first frames of a view arrive together: within a process they share
 * one check-and-write (the in-flight map), and across processes (several servers on one PostgreSQL: `crossProcess`) a
 * transaction-level advisory lock per user and series orders them, so the second sees the first's row. The embedded
 * database admits one process, so there the map suffices and image reads take no transaction. A process-local memo then spares
 * the database for the rest of the view. A failed write fails the reads that waited on it: never a read without a row.
 */
export const IMAGE_READ_WINDOW_MS = 10 * 60 * 1000;

type AuditDb = Pick<PrismaClient, "auditEvent" | "$transaction">;

export interface SeriesImageRead {
  user: { id: string; username: string };
  seriesId: string;
  patientId: string;
  instanceId: string;
  sourceAddress: string | null;
}

/** One per process (the routes share `auditSeriesImageRead`'s); tests make more to stand for other processes. */
export class SeriesImageReadAuditor {
  private readonly recent = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<void>>();

  record(prisma: AuditDb, r: SeriesImageRead, o: { crossProcess?: boolean; now?: number } = {}): Promise<void> {
    const now = o.now ?? Date.now();
    const key = `${r.user.id}:${r.seriesId}`;
    const last = this.recent.get(key);
    if (last !== undefined && now - last < IMAGE_READ_WINDOW_MS) return Promise.resolve();
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const p = this.checkAndWrite(prisma, r, key, now, o.crossProcess === true).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  private async checkAndWrite(
    prisma: AuditDb,
    r: SeriesImageRead,
    key: string,
    now: number,
    crossProcess: boolean,
  ): Promise<void> {
    const since = new Date(now - IMAGE_READ_WINDOW_MS);
    const write = async (tx: Pick<PrismaClient, "auditEvent">): Promise<number> => {
      const existing = await tx.auditEvent.findFirst({
        where: { action: "series.images_read", userId: r.user.id, targetId: r.seriesId, at: { gt: since } },
        select: { at: true },
      });
      if (existing) return existing.at.getTime();
      await recordAudit(tx, {
        action: "series.images_read",
        userId: r.user.id,
        username: r.user.username,
        patientId: r.patientId,
        targetType: "series",
        targetId: r.seriesId,
        details: { firstInstanceId: r.instanceId, windowMinutes: IMAGE_READ_WINDOW_MS / 60000 },
        sourceAddress: r.sourceAddress,
      });
      return now;
    };
    const at = crossProcess
      ? await prisma.$transaction(async (tx) => {
          // held to the end of this transaction: another process's first frame waits here, then sees this row
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`series.images_read:${key}`}))`;
          return write(tx);
        })
      : await write(prisma);
    if (this.recent.size >= 10_000) this.recent.clear(); // bounded memory; the database check keeps the rule after a clear
    this.recent.set(key, at);
  }
}

const processAuditor = new SeriesImageReadAuditor();

/** `crossProcess`: the database may be shared by several server processes (PostgreSQL). */
export function auditSeriesImageRead(
  prisma: AuditDb,
  r: SeriesImageRead,
  o: { crossProcess?: boolean; now?: number } = {},
): Promise<void> {
  return processAuditor.record(prisma, r, o);
}
