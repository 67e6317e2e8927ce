/**
 * Experiments as jobs: the job glue in one file. An experiment is a `jobs` row (kind "experiment.run", payload
 * { experimentId }) run by a small in-process runner, one job at a time per process.
 * TODO(lib/jobs): this kind can move onto the lib/jobs queue registry (pg-boss), which lets the runner below go;
 * `executeExperimentJob` is the handler to register there.
 * The computation itself is compute.ts (a child process in the server).
 */
import type { PrismaClient } from "../../../generated/prisma/client";
import { NacError, isNacError } from "../../errors";
import { childProcessCompute, type ExperimentCompute } from "./compute";
export { childProcessCompute, inProcessCompute, type ExperimentCompute } from "./compute";
import {
  createExperiment,
  loadExperimentTable,
  markExperimentFailed,
  markExperimentRunning,
  storeExperimentResult,
  updateExperimentProgress,
  type Actor,
  type ExperimentDeps,
} from "./experiments";

export const EXPERIMENT_JOB_KIND = "experiment.run";

/** Creates the job and the experiment (validated, queued). */
export async function submitExperiment(
  deps: ExperimentDeps,
  input: { tableBytes: Uint8Array; configInput: unknown; source: string; actor: Actor },
): Promise<{ experimentId: string; jobId: string }> {
  const job = await deps.prisma.job.create({
    data: { kind: EXPERIMENT_JOB_KIND, status: "queued", payload: {}, userId: input.actor.id },
  });
  try {
    const { id } = await createExperiment(deps, { ...input, jobId: job.id });
    await deps.prisma.job.update({ where: { id: job.id }, data: { payload: { experimentId: id } } });
    return { experimentId: id, jobId: job.id };
  } catch (e) {
    // An invalid table or config never becomes a job: no orphan row.
    await deps.prisma.job.delete({ where: { id: job.id } }).catch(() => undefined);
    throw e;
  }
}

/** The job handler: runs one experiment job to its end (never throws: failures are recorded on job and experiment). */
export async function executeExperimentJob(
  deps: ExperimentDeps,
  jobId: string,
  compute: ExperimentCompute,
): Promise<"succeeded" | "failed"> {
  const job = await deps.prisma.job.findUnique({ where: { id: jobId } });
  const experimentId = (job?.payload as { experimentId?: string } | null)?.experimentId;
  if (!job || !experimentId) throw new NacError("NOT_FOUND", `experiment job ${jobId} not found`);
  await deps.prisma.job.update({ where: { id: jobId }, data: { status: "running", startedAt: new Date() } });
  await markExperimentRunning(deps, experimentId);
  let lastWrite = 0;
  let pending: Promise<void> = Promise.resolve();
  try {
    const exp = await deps.prisma.experiment.findUniqueOrThrow({ where: { id: experimentId } });
    const { bytes, table } = await loadExperimentTable(deps, experimentId);
    const result = await compute({ table, tableBytes: bytes, config: exp.config }, (done, total, what) => {
      const now = Date.now();
      if (done !== total && now - lastWrite < 1000) return;
      lastWrite = now;
      pending = pending
        .then(async () => {
          await updateExperimentProgress(deps, experimentId, done, total, what);
          await deps.prisma.job.update({ where: { id: jobId }, data: { progress: total ? done / total : 0 } });
        })
        .catch(() => undefined);
    });
    await pending;
    await storeExperimentResult(deps, experimentId, result);
    await deps.prisma.job.update({
      where: { id: jobId },
      data: {
        status: "succeeded",
        progress: 1,
        finishedAt: new Date(),
        result: { experimentId, runs: result.runs.length },
      },
    });
    return "succeeded";
  } catch (e) {
    await pending;
    const message = isNacError(e) ? `${e.code}: ${e.message}` : `INTERNAL: ${(e as Error).message ?? String(e)}`;
    await markExperimentFailed(deps, experimentId, message).catch(() => undefined);
    await deps.prisma.job
      .update({ where: { id: jobId }, data: { status: "failed", error: message, finishedAt: new Date() } })
      .catch(() => undefined);
    return "failed";
  }
}

// ---- the in-process runner (to be replaced by lib/jobs) ----

const g = globalThis as unknown as { __nacExperimentRunner?: { busy: boolean; recovered: boolean } };

/**
 * Marks experiment jobs left "running" by a process that died as failed (this runner is the only one: one server
 * process per deployment). Run once per process before the first job.
 */
export async function recoverInterruptedExperimentJobs(prisma: PrismaClient): Promise<number> {
  const stale = await prisma.job.findMany({ where: { kind: EXPERIMENT_JOB_KIND, status: "running" } });
  for (const j of stale) {
    const message = "INTERNAL: interrupted (the server stopped while the experiment ran); submit it again";
    await prisma.job.update({
      where: { id: j.id },
      data: { status: "failed", error: message, finishedAt: new Date() },
    });
    const experimentId = (j.payload as { experimentId?: string }).experimentId;
    if (experimentId)
      await prisma.experiment.updateMany({
        where: { id: experimentId, status: "running" },
        data: { status: "failed", error: message, finishedAt: new Date() },
      });
  }
  return stale.length;
}

/** Runs queued experiment jobs one after another until none is left; a second call while busy does nothing. */
export async function drainExperimentJobs(deps: ExperimentDeps, compute: ExperimentCompute): Promise<void> {
  const state = (g.__nacExperimentRunner ??= { busy: false, recovered: false });
  if (state.busy) return;
  state.busy = true;
  try {
    if (!state.recovered) {
      await recoverInterruptedExperimentJobs(deps.prisma);
      state.recovered = true;
    }
    for (;;) {
      const next = await deps.prisma.job.findFirst({
        where: { kind: EXPERIMENT_JOB_KIND, status: "queued" },
        orderBy: { createdAt: "asc" },
      });
      if (!next) break;
      // Claim: only one runner may move a queued job to running.
      const claimed = await deps.prisma.job.updateMany({
        where: { id: next.id, status: "queued" },
        data: { status: "running" },
      });
      if (claimed.count !== 1) continue;
      await executeExperimentJob(deps, next.id, compute);
    }
  } finally {
    state.busy = false;
  }
}

/** Starts draining in the background (the server calls this after a submission and when the experiments page loads). */
export function kickExperimentRunner(deps: ExperimentDeps, compute: ExperimentCompute = childProcessCompute()): void {
  void drainExperimentJobs(deps, compute).catch((e) => console.error("experiment runner", e));
}
