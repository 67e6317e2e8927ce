/**
 * Cohort validation and import from the server's import root as a background task with progress: a
 * 177-patient cohort is ~3 GB of DICOM read twice (validate, import), minutes even on an idle machine, too long for
 * one HTTP request without feedback. The route starts the task and answers at once with a `jobs` row; the task updates
 * the row's progress patient by patient (phase, done, total in `result` while it runs) and stores the report and the
 * import result (or the error with its code and report) at the end; the page polls the row.
 *
 * The task runs in the web server's process (like the in-process job runner): a server restart ends it, and the row
 * then says so when read. Nothing is lost by that: the import is idempotent, so importing the folder again imports
 * what is missing and adds nothing else.
 */
import type { Prisma, PrismaClient } from "../../../generated/prisma/client";
import { isNacError } from "../../errors";
import {
  importCohortFolder,
  validateCohortFolder,
  type CohortImportDeps,
  type CohortImportResult,
  type CohortValidationReport,
} from "./import";

export const COHORT_IMPORT_JOB = "cohort-import";

export interface CohortImportJobView {
  jobId: string;
  status: "running" | "succeeded" | "failed";
  phase: "validating" | "importing" | "finished";
  /** patients handled in the current phase, of total */
  done: number;
  total: number;
  /** 0..1 over both phases (validation counts for half when importing) */
  progress: number;
  report: (CohortValidationReport & { dir: string }) | null;
  imported: CohortImportResult | null;
  error: { code: string; message: string } | null;
}

interface RunningState {
  phase: "validating" | "importing";
  done: number;
  total: number;
}

/** Processes started by this process that are still running (a row "running" without one here was interrupted). */
const live = new Set<string>();

export async function startCohortImportJob(
  deps: CohortImportDeps & { prisma: PrismaClient },
  o: {
    dir: string;
    folder: string;
    name: string;
    confirm: boolean;
    acceptValid: boolean;
    user: { id: string; username: string };
  },
): Promise<{ jobId: string }> {
  const job = await deps.prisma.job.create({
    data: {
      kind: COHORT_IMPORT_JOB,
      status: "running",
      startedAt: new Date(),
      userId: o.user.id,
      payload: { folder: o.folder, name: o.name, confirm: o.confirm, acceptValid: o.acceptValid },
      result: { phase: "validating", done: 0, total: 0 },
    },
  });
  live.add(job.id);
  const share = o.confirm ? 0.5 : 1;
  let last = 0;
  const update = (state: RunningState, progress: number) => {
    // at most about once a second, and always at the end of a phase
    const now = Date.now();
    if (now - last < 1000 && state.done !== state.total) return;
    last = now;
    void deps.prisma.job
      .updateMany({
        where: { id: job.id, status: "running" },
        data: { progress, result: state as unknown as Prisma.InputJsonValue },
      })
      .catch(() => {});
  };
  void (async () => {
    try {
      const report = await validateCohortFolder(deps, o.dir, {
        onPatient: (done, total) => update({ phase: "validating", done, total }, share * (done / Math.max(1, total))),
      });
      const shown = { ...report, dir: o.folder };
      let imported: CohortImportResult | null = null;
      if (o.confirm) {
        ({ result: imported } = await importCohortFolder(deps, o.dir, {
          name: o.name,
          acceptValid: o.acceptValid,
          user: o.user,
          validated: report,
          onPatient: (done, total) =>
            update({ phase: "importing", done, total }, 0.5 + 0.5 * (done / Math.max(1, total))),
        }));
      }
      await deps.prisma.job.update({
        where: { id: job.id },
        data: {
          status: "succeeded",
          progress: 1,
          finishedAt: new Date(),
          result: { report: shown, imported } as unknown as Prisma.InputJsonValue,
        },
      });
    } catch (e) {
      const error = isNacError(e)
        ? { code: e.code, message: e.message, details: e.details ?? null }
        : { code: "INTERNAL", message: (e as Error).message, details: null };
      await deps.prisma.job
        .update({
          where: { id: job.id },
          data: { status: "failed", finishedAt: new Date(), error: JSON.stringify(error) },
        })
        .catch(() => {});
    } finally {
      live.delete(job.id);
    }
  })();
  return { jobId: job.id };
}

/** The job as the page shows it; only its owner sees it (null otherwise, as if it did not exist). */
export async function cohortImportJobView(
  prisma: PrismaClient,
  jobId: string,
  userId: string,
): Promise<CohortImportJobView | null> {
  const j = await prisma.job.findUnique({ where: { id: jobId } });
  if (!j || j.kind !== COHORT_IMPORT_JOB || j.userId !== userId) return null;
  if (j.status === "succeeded") {
    const r = j.result as unknown as { report: CohortImportJobView["report"]; imported: CohortImportResult | null };
    const total = r.report?.counts.patients ?? 0;
    return {
      jobId,
      status: "succeeded",
      phase: "finished",
      done: total,
      total,
      progress: 1,
      report: r.report,
      imported: r.imported,
      error: null,
    };
  }
  if (j.status === "failed") {
    const e = JSON.parse(j.error ?? "{}") as {
      code?: string;
      message?: string;
      details?: { report?: CohortImportJobView["report"] } | null;
    };
    return {
      jobId,
      status: "failed",
      phase: "finished",
      done: 0,
      total: 0,
      progress: j.progress,
      report: e.details?.report ?? null,
      imported: null,
      error: { code: e.code ?? "INTERNAL", message: e.message ?? "import failed" },
    };
  }
  const s = (j.result ?? { phase: "validating", done: 0, total: 0 }) as unknown as RunningState;
  if (!live.has(jobId)) {
    // started by an earlier server process that has gone (restart): say so rather than show a bar that never moves
    return {
      jobId,
      status: "failed",
      phase: "finished",
      done: s.done,
      total: s.total,
      progress: j.progress,
      report: null,
      imported: null,
      error: {
        code: "INTERNAL",
        message:
          "the server restarted during the import; import the folder again (patients already imported are not imported twice)",
      },
    };
  }
  return {
    jobId,
    status: "running",
    phase: s.phase,
    done: s.done,
    total: s.total,
    progress: j.progress,
    report: null,
    imported: null,
    error: null,
  };
}
