/**
 * The model registry (service): bundles registered from an experiment's feature set or imported from a file, listed,
 * exported and activated. Earlier bundles stay: predictions keep pointing at theirs. Activation is an admin's act
 * (the routes check the role) and is audited with the bundle it replaced.
 */
import { gunzipSync } from "fflate";
import type { PrismaClient } from "../../generated/prisma/client";
import { recordAudit } from "../audit/audit-log";
import { defaultModelsDir, readManifest } from "../deep/node/model-store";
import { NacError } from "../errors";
import { canonicalJson, loadBundleOrThrow, type ModelBundle } from "../ml/bundle";
import { resolveFeatureSets } from "../experiments";
import type { FileStore } from "../storage/file-store";
import { sha256Hex } from "../storage/file-store";
import { caseSpecFromBundle } from "./case-features/bundle";
import { registerBundle } from "./register-bundle";
import { caseSpecForColumns, type ExperimentBundleRequest } from "./experiment/bundle";
import { getExperiment, loadExperimentTable, type Actor } from "./experiment/experiments";
import { trainingAcquisition } from "./experiment/training-acquisition";
import type { BundleBuilder } from "./experiment/compute";

export interface RegistryDeps {
  prisma: PrismaClient;
  store: FileStore;
  modelsDir?: string;
}

function slug(s: string): string {
  return s
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase();
}

/** Registers an experiment's feature set as a new bundle version (not active). */
export async function registerFromExperiment(
  deps: RegistryDeps,
  o: {
    experimentId: string;
    featureSet: string;
    actor: Actor;
    demo?: boolean;
    build: BundleBuilder;
    /** Issue 18: calibrate the probabilities (default true). */
    calibrate?: boolean;
    /** Issue 18: the site allows similar cases (de-identified training cases in the bundle); off by default. */
    allowSimilarCases?: boolean;
  },
): Promise<{ id: string; bundleId: string; version: string }> {
  const exp = await getExperiment(deps, o.experimentId, o.actor, { audit: false });
  if (exp.status !== "succeeded")
    throw new NacError(
      "CONFLICT",
      `experiment ${o.experimentId} is ${exp.status}: register from a finished experiment`,
    );
  const runs = exp.runs.filter((r) => r.featureSet === o.featureSet);
  if (!runs.length) throw new NacError("NOT_FOUND", `experiment ${o.experimentId} has no feature set ${o.featureSet}`);
  const { bytes, table } = await loadExperimentTable(deps, o.experimentId);
  const set = resolveFeatureSets(exp.config, table.columns).sets.find((s) => s.name === o.featureSet);
  if (!set) throw new NacError("NOT_FOUND", `feature set ${o.featureSet} does not select columns of the stored table`);
  const featureNames = set.columns.map((c) => table.columns[c]);
  const spec = caseSpecForColumns(featureNames);
  let encoder: ExperimentBundleRequest["encoder"] = null;
  if (spec.deep) {
    const e = readManifest(deps.modelsDir ?? defaultModelsDir()).models[spec.deep.backbone];
    if (!e)
      throw new NacError(
        "NOT_FOUND",
        `no ${spec.deep.backbone} encoder registered: run \`npm run nac -- models init\``,
      );
    encoder = { backbone: e.backbone, sha256: e.sha256, origin: e.origin, label: e.label };
  }
  const bundleId = `nacpredict-${slug(o.featureSet)}`;
  const existing = await deps.prisma.modelBundle.count({ where: { bundleId } });
  const version = `${existing + 1}.0.0-${o.experimentId.slice(0, 8)}`;
  const bundle = await o.build(table, bytes, {
    experimentId: exp.id,
    experimentName: exp.name,
    featureSet: o.featureSet,
    featureNames,
    runs,
    table: { sha256: exp.tableSha256, source: exp.tableSummary.source, rows: exp.tableSummary.rows },
    bundleId,
    bundleVersion: version,
    created: new Date().toISOString(),
    demo: o.demo ?? false,
    encoder,
    registeredBy: o.actor.username ?? "unknown",
    calibrate: o.calibrate ?? true,
    allowSimilarCases: o.allowSimilarCases ?? false,
    acquisition: await trainingAcquisition(deps, exp.tableSummary.source),
  });
  const fileBytes = new TextEncoder().encode(`${canonicalJson(bundle)}\n`);
  const r = await registerBundle(deps, fileBytes, { activate: false, actor: o.actor });
  if (r.action !== "registered") throw new NacError("CONFLICT", `bundle ${bundleId} ${version} is already registered`);
  await deps.prisma.modelRegistration.create({
    data: {
      modelBundleId: r.id,
      experimentId: exp.id,
      featureSet: o.featureSet,
      source: "experiment",
      registeredById: o.actor.id,
    },
  });
  return { id: r.id, bundleId, version };
}

export async function listBundles(deps: Pick<RegistryDeps, "prisma">) {
  const rows = await deps.prisma.modelBundle.findMany({ orderBy: { createdAt: "desc" } });
  const regs = await deps.prisma.modelRegistration.findMany({
    where: { modelBundleId: { in: rows.map((r) => r.id) } },
  });
  const counts = await deps.prisma.prediction.groupBy({ by: ["modelBundleId"], _count: { _all: true } });
  return rows.map((b) => {
    const reg = regs.find((r) => r.modelBundleId === b.id);
    return {
      id: b.id,
      bundleId: b.bundleId,
      version: b.version,
      name: b.name,
      isActive: b.isActive,
      isDemo: b.isDemo,
      sha256: b.sha256,
      createdAt: b.createdAt.toISOString(),
      source: reg?.source ?? (b.isDemo ? "demo" : "file"),
      experimentId: reg?.experimentId ?? null,
      featureSet: reg?.featureSet ?? null,
      predictions: counts.find((c) => c.modelBundleId === b.id)?._count._all ?? 0,
    };
  });
}

/** The stored bundle file, verified against its recorded sha256 and its own part hashes. */
export async function readBundleFile(
  deps: RegistryDeps,
  id: string,
): Promise<{
  row: Awaited<ReturnType<PrismaClient["modelBundle"]["findUniqueOrThrow"]>>;
  bytes: Uint8Array;
  bundle: ModelBundle;
}> {
  const row = await deps.prisma.modelBundle.findUnique({ where: { id } });
  if (!row) throw new NacError("NOT_FOUND", `model bundle ${id} not found`);
  const bytes = await deps.store.get(row.storageKey);
  if (sha256Hex(bytes) !== row.sha256)
    throw new NacError("MODEL_INVALID", `stored model bundle ${row.bundleId} ${row.version} does not match its sha256`);
  return { row, bytes, bundle: loadBundleOrThrow(new TextDecoder().decode(bytes)).bundle };
}

/** Makes a bundle the active one (one active at a time), audited with the bundle it replaces. */
export async function activateBundle(
  deps: RegistryDeps,
  id: string,
  actor: Actor,
): Promise<{ id: string; previous: string | null }> {
  const { row, bundle } = await readBundleFile(deps, id);
  for (const ep of ["pcr", "response"])
    if (!bundle.endpoints[ep])
      throw new NacError(
        "MODEL_INVALID",
        `bundle ${row.bundleId} ${row.version} has no "${ep}" endpoint: Predict needs pcr and response`,
      );
  caseSpecFromBundle(bundle); // Predict must be able to recompute its features
  return deps.prisma.$transaction(async (tx) => {
    const previous = await tx.modelBundle.findFirst({ where: { isActive: true } });
    await tx.modelBundle.updateMany({ where: { isActive: true }, data: { isActive: false } });
    await tx.modelBundle.update({ where: { id }, data: { isActive: true } });
    await recordAudit(tx, {
      action: "model.activate",
      userId: actor.id,
      username: actor.username,
      targetType: "model_bundle",
      targetId: id,
      details: {
        bundleId: row.bundleId,
        version: row.version,
        sha256: row.sha256,
        previous: previous ? { id: previous.id, bundleId: previous.bundleId, version: previous.version } : null,
      },
    });
    return { id, previous: previous?.id ?? null };
  });
}

export async function exportBundle(
  deps: RegistryDeps,
  id: string,
  actor: Actor,
): Promise<{ bytes: Uint8Array; fileName: string }> {
  const { row, bytes } = await readBundleFile(deps, id);
  await recordAudit(deps.prisma, {
    action: "model.export",
    userId: actor.id,
    username: actor.username,
    targetType: "model_bundle",
    targetId: id,
    details: { bundleId: row.bundleId, version: row.version, sha256: row.sha256 },
  });
  return { bytes, fileName: `${row.bundleId}-${row.version}.json`.replace(/[^A-Za-z0-9._-]/g, "_") };
}

/**
 * Imports a bundle file from another site (JSON, or gzip of it). Every part's hash is checked first: a tampered or
 * corrupted file is refused (MODEL_INVALID naming the part). The same id + version with other bytes is a conflict.
 */
export async function importBundle(
  deps: RegistryDeps,
  raw: Uint8Array,
  actor: Actor,
): Promise<{ id: string; bundleId: string; version: string; action: "registered" | "exists" }> {
  let bytes = raw;
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      bytes = gunzipSync(raw);
    } catch (e) {
      throw new NacError("MODEL_INVALID", `model bundle is not a valid gzip file: ${(e as Error).message}`);
    }
  }
  const b = loadBundleOrThrow(new TextDecoder().decode(bytes)).bundle;
  const existing = await deps.prisma.modelBundle.findUnique({
    where: { bundleId_version: { bundleId: b.bundleId, version: b.bundleVersion } },
  });
  if (existing) {
    if (existing.sha256 !== sha256Hex(bytes))
      throw new NacError("CONFLICT", `a different bundle ${b.bundleId} ${b.bundleVersion} is already registered`);
    return { id: existing.id, bundleId: b.bundleId, version: b.bundleVersion, action: "exists" };
  }
  const r = await registerBundle(deps, bytes, { activate: false, actor });
  await deps.prisma.modelRegistration.create({
    data: { modelBundleId: r.id, source: "import", registeredById: actor.id },
  });
  return { id: r.id, bundleId: r.bundleId, version: r.version, action: "registered" };
}
