import type { PrismaClient } from "../../generated/prisma/client";
import { recordAudit } from "./audit-log";

/**
 * Image reads are audited per series, not per frame: a viewer fetching 160 slices of a series writes one
 * `series.images_read` row, and another one only when the same user reads the same series again after the window.
 * A process-local memo spares the database query for the second to n-th frame; the query covers other processes and
 * restarts, so the rule holds (a race between the first frames of one series may write two rows, never none).
 */
export const IMAGE_READ_WINDOW_MS = 10 * 60 * 1000;

const recent = new Map<string, number>();

export async function auditSeriesImageRead(
  prisma: Pick<PrismaClient, "auditEvent">,
  r: { user: { id: string; username: string }; seriesId: string; patientId: string; instanceId: string; sourceAddress: string | null },
  now = Date.now(),
): Promise<void> {
  const key = `${r.user.id}\u0000${r.seriesId}`;
  const last = recent.get(key);
  if (last !== undefined && now - last < IMAGE_READ_WINDOW_MS) return;
  const since = new Date(now - IMAGE_READ_WINDOW_MS);
  const existing = await prisma.auditEvent.findFirst({
    where: { action: "series.images_read", userId: r.user.id, targetId: r.seriesId, at: { gt: since } },
    select: { at: true },
  });
  if (!existing) {
    await recordAudit(prisma, {
      action: "series.images_read",
      userId: r.user.id,
      username: r.user.username,
      patientId: r.patientId,
      targetType: "series",
      targetId: r.seriesId,
      details: { firstInstanceId: r.instanceId, windowMinutes: IMAGE_READ_WINDOW_MS / 60000 },
      sourceAddress: r.sourceAddress,
    });
  }
  recent.set(key, existing ? existing.at.getTime() : now);
  if (recent.size > 10_000) recent.clear(); // bounded memory; the database query keeps the rule after a clear
}
