/**
 * Experiments as stored (service): the feature table by sha256 in the file store, the experiment row with its full
 * configuration, table hash and engine versions, and one experiment_results row per feature set x endpoint.
 * The computation is lib/experiments; running it as a job is job.ts.
 */
import type { Prisma, PrismaClient } from "../../../generated/prisma/client";
import { IDENTIFIED_VIEW, patientKeyAsSeen, type PatientView } from "../../auth/patient-view";
import { recordAudit } from "../../audit/audit-log";
import { NacError } from "../../errors";
import {
  describeColumns,
  engineVersions,
  parseExperimentConfig,
  parseExperimentTable,
  resolveFeatureSets,
  OUTCOME_COLUMNS,
  type ExperimentResult,
  type ExperimentRun,
  type ExperimentTable,
} from "../../experiments";
import type { FileStore } from "../../storage/file-store";

export interface ExperimentDeps {
  prisma: PrismaClient;
  store: FileStore;
}

export interface Actor {
  id: string | null;
  username: string | null;
}

/** Application version and commit, when known (added to the engine versions of every experiment). */
function appVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  if (process.env.npm_package_version) out.app = process.env.npm_package_version;
  if (process.env.NAC_GIT_COMMIT) out.commit = process.env.NAC_GIT_COMMIT;
  return out;
}

export function tableStorageKey(sha256: string): string {
  return `experiments/tables/${sha256}.csv`;
}

export function tableSummary(t: ExperimentTable, source: string) {
  const outcomes: Record<string, { positive: number; negative: number; unknown: number }> = {};
  for (const o of OUTCOME_COLUMNS) {
    const y = t.outcomes[o];
    if (!y) continue;
    let positive = 0,
      negative = 0,
      unknown = 0;
    for (const v of y) {
      if (v === 1) positive++;
      else if (v === 0) negative++;
      else unknown++;
    }
    outcomes[o] = { positive, negative, unknown };
  }
  return { source, rows: t.rowIds.length, columns: t.columns.length, outcomes, offers: describeColumns(t.columns) };
}

/**
 * Validates a table and a configuration against each other (the feature sets must select columns, the endpoints
 * must exist), stores the table by content, and creates the experiment (queued) with its audit event.
 * Returns the parsed table too, so a caller that runs it at once does not parse it again.
 */
export async function createExperiment(
  deps: ExperimentDeps,
  input: { tableBytes: Uint8Array; configInput: unknown; source: string; actor: Actor; jobId?: string },
): Promise<{ id: string; table: ExperimentTable }> {
  const config = parseExperimentConfig(input.configInput);
  const table = parseExperimentTable(input.tableBytes);
  for (const e of config.endpoints)
    if (!table.outcomes[e])
      throw new NacError("DATA_INVALID", `feature table has no "${e}" column for the ${e} endpoint`);
  const sets = resolveFeatureSets(config, table.columns);
  const key = tableStorageKey(table.sha256);
  if (!(await deps.store.exists(key))) await deps.store.put(key, input.tableBytes);
  const row = await deps.prisma.$transaction(async (tx) => {
    const exp = await tx.experiment.create({
      data: {
        name: config.name,
        config: config as unknown as Prisma.InputJsonValue,
        tableSha256: table.sha256,
        tableStorageKey: key,
        tableSummary: tableSummary(table, input.source) as unknown as Prisma.InputJsonValue,
        engineVersions: { ...engineVersions(), ...appVersions() },
        summary: {
          featureSets: sets.sets.map((s) => ({ name: s.name, columns: s.columns.length })),
          skipped: sets.skipped,
        } as unknown as Prisma.InputJsonValue,
        createdById: input.actor.id,
        jobId: input.jobId ?? null,
      },
    });
    await recordAudit(tx, {
      action: "experiment.create",
      userId: input.actor.id,
      username: input.actor.username,
      targetType: "experiment",
      targetId: exp.id,
      details: {
        name: config.name,
        tableSha256: table.sha256,
        rows: table.rowIds.length,
        runs: sets.sets.length * config.endpoints.length,
      },
    });
    return exp;
  });
  return { id: row.id, table };
}

export async function loadExperimentTable(
  deps: ExperimentDeps,
  experimentId: string,
): Promise<{ bytes: Uint8Array; table: ExperimentTable }> {
  const exp = await deps.prisma.experiment.findUnique({ where: { id: experimentId } });
  if (!exp) throw new NacError("NOT_FOUND", `experiment ${experimentId} not found`);
  const bytes = await deps.store.get(exp.tableStorageKey);
  const table = parseExperimentTable(bytes);
  if (table.sha256 !== exp.tableSha256)
    throw new NacError("DATA_INVALID", `stored feature table of experiment ${experimentId} does not match its sha256`);
  return { bytes, table };
}

export async function markExperimentRunning(deps: ExperimentDeps, id: string): Promise<void> {
  await deps.prisma.experiment.update({
    where: { id },
    data: { status: "running", startedAt: new Date(), progress: 0, error: null },
  });
}

export async function updateExperimentProgress(
  deps: ExperimentDeps,
  id: string,
  done: number,
  total: number,
  note: string,
): Promise<void> {
  await deps.prisma.experiment.update({
    where: { id },
    data: { progress: total ? done / total : 0, progressNote: note },
  });
}

/** Stores every run and marks the experiment succeeded, in one transaction (all results or none). */
export async function storeExperimentResult(deps: ExperimentDeps, id: string, r: ExperimentResult): Promise<void> {
  const exp = await deps.prisma.experiment.findUnique({ where: { id } });
  if (!exp) throw new NacError("NOT_FOUND", `experiment ${id} not found`);
  if (r.table.sha256 !== exp.tableSha256)
    throw new NacError("DATA_INVALID", "result was computed on another feature table");
  await deps.prisma.$transaction(async (tx) => {
    await tx.experimentResult.deleteMany({ where: { experimentId: id } });
    for (const run of r.runs) {
      await tx.experimentResult.create({ data: runRow(id, run) });
    }
    await tx.experiment.update({
      where: { id },
      data: {
        status: "succeeded",
        progress: 1,
        progressNote: "done",
        finishedAt: new Date(),
        elapsedMs: Math.round(r.elapsedMs),
        summary: { featureSets: r.featureSets, skipped: r.skipped } as unknown as Prisma.InputJsonValue,
      },
    });
  });
}

function runRow(experimentId: string, run: ExperimentRun): Prisma.ExperimentResultUncheckedCreateInput {
  const j = (v: unknown) => v as Prisma.InputJsonValue;
  return {
    experimentId,
    featureSet: run.featureSet,
    endpoint: run.endpoint,
    label: run.featureSetLabel,
    nRows: run.nRows,
    nPositive: run.nPositive,
    nFeatures: run.nFeatures,
    config: j(run.config),
    selector: j(run.selector),
    metrics: j(run.metrics),
    roc: j(run.roc),
    calibration: j(run.calibration),
    selection: j({ selectionFrequency: run.selectionFrequency, mrmrFrequency: run.mrmrFrequency }),
    partitions: j(run.partitions),
    elapsedMs: Math.round(run.elapsedMs),
  };
}

export async function markExperimentFailed(deps: ExperimentDeps, id: string, message: string): Promise<void> {
  await deps.prisma.experiment.update({
    where: { id },
    data: { status: "failed", error: message, finishedAt: new Date() },
  });
}

/** Stored runs back in the engine's shape (for tables, plots, exports and registration). */
export function runFromRow(
  r: Awaited<ReturnType<PrismaClient["experimentResult"]["findMany"]>>[number],
): ExperimentRun {
  const sel = r.selection as unknown as {
    selectionFrequency: ExperimentRun["selectionFrequency"];
    mrmrFrequency: ExperimentRun["mrmrFrequency"];
  };
  return {
    featureSet: r.featureSet,
    featureSetLabel: r.label,
    selector: r.selector as unknown as ExperimentRun["selector"],
    endpoint: r.endpoint as ExperimentRun["endpoint"],
    nRows: r.nRows,
    nPositive: r.nPositive,
    nFeatures: r.nFeatures,
    config: r.config as unknown as ExperimentRun["config"],
    metrics: r.metrics as unknown as ExperimentRun["metrics"],
    partitions: r.partitions as unknown as ExperimentRun["partitions"],
    roc: r.roc as unknown as ExperimentRun["roc"],
    calibration: r.calibration as unknown as ExperimentRun["calibration"],
    selectionFrequency: sel.selectionFrequency,
    mrmrFrequency: sel.mrmrFrequency,
    elapsedMs: r.elapsedMs,
  };
}

export interface StoredExperiment {
  id: string;
  name: string;
  status: string;
  progress: number;
  progressNote: string | null;
  error: string | null;
  config: ExperimentResult["config"];
  tableSha256: string;
  tableSummary: ReturnType<typeof tableSummary>;
  engineVersions: Record<string, string>;
  summary: {
    featureSets: { name: string; label?: string; columns: number }[];
    skipped: { name: string; reason: string }[];
  } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  elapsedMs: number | null;
  createdBy: string | null;
  runs: ExperimentRun[];
}

/**
 * An experiment with its runs, ordered as the experiment ran them. Audited: the runs name patients (test rows), as
 * `o.view` may see them: a table's patient_id that is a site ID becomes its pseudonym for a reader without identified
 * access (an uploaded table's arbitrary row IDs are hashed likewise; pseudonyms already in the table stay).
 */
export async function getExperiment(
  deps: ExperimentDeps,
  id: string,
  actor: Actor | null,
  o: { audit?: boolean; view?: PatientView } = {},
): Promise<StoredExperiment> {
  const exp = await deps.prisma.experiment.findUnique({ where: { id }, include: { results: true } });
  if (!exp) throw new NacError("NOT_FOUND", `experiment ${id} not found`);
  const summary = exp.summary as StoredExperiment["summary"];
  const order = new Map((summary?.featureSets ?? []).map((s, i) => [s.name, i]));
  const endpoints = (exp.config as unknown as ExperimentResult["config"]).endpoints as string[];
  const results = exp.results
    .slice()
    .sort(
      (a, b) =>
        (order.get(a.featureSet) ?? 0) - (order.get(b.featureSet) ?? 0) ||
        endpoints.indexOf(a.endpoint) - endpoints.indexOf(b.endpoint),
    );
  const view = o.view ?? IDENTIFIED_VIEW;
  const creator = exp.createdById
    ? await deps.prisma.user.findUnique({ where: { id: exp.createdById }, select: { username: true } })
    : null;
  if (o.audit !== false) {
    await recordAudit(deps.prisma, {
      action: "experiment.view",
      userId: actor?.id ?? null,
      username: actor?.username ?? null,
      targetType: "experiment",
      targetId: id,
      details: { identified: view.identified },
    });
  }
  return {
    id: exp.id,
    name: exp.name,
    status: exp.status,
    progress: exp.progress,
    progressNote: exp.progressNote,
    error: exp.error,
    config: exp.config as unknown as ExperimentResult["config"],
    tableSha256: exp.tableSha256,
    tableSummary: exp.tableSummary as unknown as ReturnType<typeof tableSummary>,
    engineVersions: exp.engineVersions as Record<string, string>,
    summary,
    createdAt: exp.createdAt.toISOString(),
    startedAt: exp.startedAt?.toISOString() ?? null,
    finishedAt: exp.finishedAt?.toISOString() ?? null,
    elapsedMs: exp.elapsedMs,
    createdBy: creator?.username ?? null,
    runs: results.map(runFromRow).map((r) =>
      view.identified
        ? r
        : {
            ...r,
            partitions: r.partitions.map((p) => ({
              ...p,
              testRowIds: p.testRowIds.map((k) => patientKeyAsSeen(k, view)),
            })),
          },
    ),
  };
}

export async function listExperiments(deps: ExperimentDeps, take = 100) {
  const rows = await deps.prisma.experiment.findMany({ orderBy: { createdAt: "desc" }, take });
  return rows.map((e) => ({
    id: e.id,
    name: e.name,
    status: e.status,
    progress: e.progress,
    progressNote: e.progressNote,
    tableSha256: e.tableSha256,
    rows: (e.tableSummary as { rows?: number }).rows ?? null,
    createdAt: e.createdAt.toISOString(),
    finishedAt: e.finishedAt?.toISOString() ?? null,
    elapsedMs: e.elapsedMs,
    error: e.error,
  }));
}
