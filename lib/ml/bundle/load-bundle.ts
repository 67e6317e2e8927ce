import { NacError } from "../../errors";
import { calibratorFromJson, type ProbabilityCalibrator } from "../calibration";
import { modelFromRecord, type FittedModel } from "../protocol/model-record";
import { canonicalJson } from "../../hash/canonical-json";
import { sha256Hex } from "../../hash/sha256";
import { computeIntegrity } from "./hash";
import { bundleSchema, type ModelBundle } from "./schema";

/** A verified bundle with its models instantiated once. */
export interface LoadedBundle {
  bundle: ModelBundle;
  models: Record<string, { final: FittedModel; partitions: FittedModel[] }>;
  /** Calibration maps by endpoint (null = that pipeline is uncalibrated, e.g. every schema-1 bundle). */
  calibrators: Record<string, { final: ProbabilityCalibrator | null; partitions: (ProbabilityCalibrator | null)[] }>;
}

function checkPipeline(where: string, featureNames: string[], p: ModelBundle["endpoints"][string]["final"]): void {
  const n = featureNames.length;
  const pp = p.preprocessor;
  if (pp.medians.length !== n || pp.means.length !== n || pp.scales.length !== n) {
    throw new NacError("MODEL_INVALID", `${where}: preprocessor does not cover the ${n} input features`);
  }
  const known = new Set(featureNames);
  const unknown = [...p.selectedFeatures, ...p.mrmrFeatures].filter((f) => !known.has(f));
  if (unknown.length)
    throw new NacError("MODEL_INVALID", `${where}: selected features not among the inputs: ${unknown.join(", ")}`);
  if (p.model.kind === "logistic" && p.model.coefficients.length !== p.selectedFeatures.length) {
    throw new NacError(
      "MODEL_INVALID",
      `${where}: ${p.model.coefficients.length} coefficients for ${p.selectedFeatures.length} features`,
    );
  }
}

/**
 * Parses and verifies a bundle: schema (zod), every part's sha256, internal consistency, and that every model
 * loads. Throws MODEL_INVALID naming the first problem.
 */
export function loadBundleOrThrow(json: unknown): LoadedBundle {
  let doc = json;
  if (typeof json === "string") {
    try {
      doc = JSON.parse(json);
    } catch (e) {
      throw new NacError("MODEL_INVALID", `model bundle is not valid JSON: ${(e as Error).message}`);
    }
  }
  const parsed = bundleSchema.safeParse(doc);
  if (!parsed.success) {
    const msg = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    throw new NacError(
      "MODEL_INVALID",
      `model bundle does not match schema v${(doc as { schemaVersion?: unknown })?.schemaVersion ?? "?"}: ${msg}`,
    );
  }
  const bundle = parsed.data;
  const integrity = bundle.integrity;
  // Hash what was read (not the zod output) so defaults filled in by the schema cannot mask a change.
  const { integrity: _recorded, ...rawBody } = doc as ModelBundle;
  const expected = computeIntegrity(rawBody);
  const names = new Set([...Object.keys(integrity.parts), ...Object.keys(expected.parts)]);
  for (const name of names) {
    if (integrity.parts[name] !== expected.parts[name]) {
      throw new NacError(
        "MODEL_INVALID",
        `model bundle integrity check failed: part "${name}" ${integrity.parts[name] ? "was modified" : "has no recorded hash"}`,
      );
    }
  }
  if (integrity.bundle !== expected.bundle)
    throw new NacError("MODEL_INVALID", "model bundle integrity check failed: bundle fingerprint");

  const cfs = bundle.caseFeatureSpec;
  if (cfs && sha256Hex(canonicalJson(cfs.spec)) !== cfs.sha256)
    throw new NacError("MODEL_INVALID", "model bundle's case feature specification does not match its sha256", {
      part: "caseFeatureSpec",
    });
  const specNames = new Set(bundle.featureSpec.map((f) => f.name));
  const cases = bundle.trainingCases;
  if (cases && cases.rows.some((r) => r.values.length !== cases.features.length))
    throw new NacError("MODEL_INVALID", "training cases: a row does not have one value per feature");
  const models: LoadedBundle["models"] = {};
  const calibrators: LoadedBundle["calibrators"] = {};
  for (const [name, e] of Object.entries(bundle.endpoints)) {
    const unspecified = e.featureNames.filter((f) => !specNames.has(f));
    if (unspecified.length)
      throw new NacError(
        "MODEL_INVALID",
        `endpoint ${name}: features without specification: ${unspecified.join(", ")}`,
      );
    for (const f of e.featureNames)
      if (!e.trainingSummary[f]) throw new NacError("MODEL_INVALID", `endpoint ${name}: no training summary for ${f}`);
    checkPipeline(`endpoint ${name} final`, e.featureNames, e.final);
    e.partitions.forEach((p, i) => checkPipeline(`endpoint ${name} partition ${i}`, e.featureNames, p.pipeline));
    try {
      models[name] = {
        final: modelFromRecord(e.final.model),
        partitions: e.partitions.map((p) => modelFromRecord(p.pipeline.model)),
      };
    } catch (err) {
      throw new NacError(
        "MODEL_INVALID",
        `endpoint ${name}: a model does not load: ${(err as Error).message}`,
        undefined,
        { cause: err },
      );
    }
    const cal = (p: ModelBundle["endpoints"][string]["final"]) =>
      p.calibration ? calibratorFromJson(p.calibration.map) : null;
    try {
      calibrators[name] = { final: cal(e.final), partitions: e.partitions.map((p) => cal(p.pipeline)) };
    } catch (err) {
      throw new NacError(
        "MODEL_INVALID",
        `endpoint ${name}: a calibration map does not load: ${(err as Error).message}`,
        undefined,
        { cause: err },
      );
    }
  }
  return { bundle, models, calibrators };
}
