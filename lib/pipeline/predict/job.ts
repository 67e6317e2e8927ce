/**
 * Predict through the job queue: when workers are configured, the web server records a `jobs` row,
 * puts a "predict" job on the queue and waits for a worker to store the result there, so that feature extraction and
 * model evaluation (and their memory) happen in worker processes, not in the server. The result is the same
 * predictPatient() result (stored prediction, audit) as in-process.
 */
import type { Prisma } from "../../../generated/prisma/client";
import { isNacError, NacError, ERROR_CODES, type ErrorCode } from "../../errors";
import type { JobQueue } from "../../jobs/queue";
import type { JobRegistry } from "../../jobs/registry";
import { predictPatient, type PredictDeps, type PredictionResult } from ".";

export const PREDICT_JOB = "predict";

interface PredictPayload {
  jobId: string;
}

export function registerPredictJob(registry: JobRegistry, deps: PredictDeps): void {
  registry.register<PredictPayload>(
    PREDICT_JOB,
    async ({ jobId }) => {
      // Claim once: a job delivered twice (at-least-once queue) must not store two predictions.
      const claimed = await deps.prisma.job.updateMany({
        where: { id: jobId, kind: PREDICT_JOB, status: "queued" },
        data: { status: "running", startedAt: new Date() },
      });
      if (claimed.count === 0) return;
      const row = await deps.prisma.job.findUniqueOrThrow({ where: { id: jobId }, include: { user: true } });
      const p = row.payload as { patientId: string; requireComplete?: boolean };
      try {
        if (!row.user) throw new NacError("FORBIDDEN", "the requesting account no longer exists");
        const result = await predictPatient(
          deps,
          p.patientId,
          { id: row.user.id, username: row.user.username },
          { requireComplete: p.requireComplete === true },
        );
        await deps.prisma.job.update({
          where: { id: jobId },
          data: {
            status: "succeeded",
            result: result as unknown as Prisma.InputJsonValue,
            progress: 1,
            finishedAt: new Date(),
          },
        });
      } catch (e) {
        const error = isNacError(e)
          ? JSON.stringify({ code: e.code, message: e.message, details: e.details })
          : JSON.stringify({ code: "INTERNAL", message: (e as Error).message });
        await deps.prisma.job.update({
          where: { id: jobId },
          data: { status: "failed", error, finishedAt: new Date() },
        });
      }
    },
    { expireInSeconds: 600, retryLimit: 2, retryDelaySeconds: 2 },
  );
}

/** Enqueues a prediction and waits for a worker's result (or its error, with the same code as in-process). */
export async function predictViaQueue(
  deps: Pick<PredictDeps, "prisma">,
  queue: JobQueue,
  patientId: string,
  user: { id: string },
  o: { timeoutMs?: number; requireComplete?: boolean } = {},
): Promise<PredictionResult> {
  const row = await deps.prisma.job.create({
    data: { kind: PREDICT_JOB, payload: { patientId, requireComplete: o.requireComplete === true }, userId: user.id },
  });
  await queue.send(PREDICT_JOB, [{ jobId: row.id }]);
  const deadline = Date.now() + (o.timeoutMs ?? 280_000);
  for (let wait = 100; ; wait = Math.min(1000, wait * 1.5)) {
    await new Promise((r) => setTimeout(r, wait));
    const j = await deps.prisma.job.findUniqueOrThrow({ where: { id: row.id } });
    if (j.status === "succeeded") return j.result as unknown as PredictionResult;
    if (j.status === "failed") {
      const err = JSON.parse(j.error ?? "{}") as { code?: string; message?: string; details?: Record<string, unknown> };
      const code = (err.code && err.code in ERROR_CODES ? err.code : "INTERNAL") as ErrorCode;
      throw new NacError(code, err.message ?? "prediction failed on the worker", err.details);
    }
    if (Date.now() > deadline)
      throw new NacError(
        "INTERNAL",
        `no worker finished the prediction within ${Math.round((o.timeoutMs ?? 280_000) / 1000)} s (is \`nac worker\` running?)`,
      );
  }
}
