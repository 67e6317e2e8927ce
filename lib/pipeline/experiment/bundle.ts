/**
 * An experiment's feature set as a model bundle: the protocol re-run on the same table, columns, configuration and
 * seed, now with the final model fitted on all rows, for both endpoints; its partitions must reproduce the stored
 * experiment exactly (otherwise the bundle would not be the model the experiment measured). The case feature
 * specification is derived from the selected columns, so Predict recomputes exactly those features, and the model
 * card is generated from the experiment. The bundle holds no row identifier of the table. No database (the service and
 * the server's child process call it).
 */
import type { Backbone } from "../../deep/architecture";
import type { ModelEntry } from "../../deep/models";
import { ORIGIN_LABELS } from "../../deep/models";
import { NacError } from "../../errors";
import { formatMetric, protocolInputOf, type ExperimentRun, type ExperimentTable } from "../../experiments";
import type { AcquisitionDistribution } from "../../acquisition";
import { buildBundle, canonicalJson, trainingCasesOf, type ModelBundle } from "../../ml/bundle";
import { makeMatrix } from "../../ml/matrix";
import { parseProtocolConfig } from "../../ml/protocol/config";
import type { ProtocolResult } from "../../ml/protocol/run-protocol";
import type { ProtocolRunner } from "../../experiments";
import { bundleCaseFeatureSpec, bundleFeatureSpec, parseCaseFeatureName } from "../case-features/bundle";
import {
  CLINICAL_ENCODINGS,
  makeCaseFeatureSpec,
  type CaseFeatureSpec,
  type CaseRegion,
  type CaseRole,
} from "../case-features";

/** Bundle endpoint names Predict uses, by outcome column. */
export const BUNDLE_ENDPOINT: Record<"pCR" | "response", "pcr" | "response"> = { pCR: "pcr", response: "response" };

export interface ExperimentBundleRequest {
  experimentId: string;
  experimentName: string;
  featureSet: string;
  /** Feature columns of the set (names, in table order) and the stored runs of both endpoints. */
  featureNames: string[];
  runs: ExperimentRun[];
  table: { sha256: string; source: string; rows: number };
  bundleId: string;
  bundleVersion: string;
  created: string;
  /** Trained on synthetic or demonstration data. */
  demo: boolean;
  /** Encoder of the deep features (registry entry), when the set has any. */
  encoder: Pick<ModelEntry, "backbone" | "sha256" | "origin" | "label"> | null;
  registeredBy: string;
  /**
   * Issue 18: fit a calibration map in each partition and for the final model (default true; skipped with a model-card
   * line when a training partition has too few patients of a class for the inner folds).
   */
  calibrate?: boolean;
  /** Issue 18: the site allows similar cases: the bundle carries de-identified training cases (default false). */
  allowSimilarCases?: boolean;
  /** Issue 18: acquisition parameters of the training series (null/absent: not known). */
  acquisition?: AcquisitionDistribution | null;
}

/** Inner folds of the calibration step; each class of each training partition needs two per fold to calibrate. */
export const REGISTRATION_CALIBRATION_FOLDS = 5;

function canCalibrate(y: Uint8Array, trainFraction: number): boolean {
  let pos = 0;
  for (const v of y) pos += v;
  return Math.min(pos, y.length - pos) * trainFraction >= 2 * REGISTRATION_CALIBRATION_FOLDS;
}

/** The case feature spec that recomputes exactly these columns (default extraction settings, as tables are made). */
export function caseSpecForColumns(featureNames: string[]): CaseFeatureSpec {
  const roles = new Set<CaseRole>();
  const regions = new Set<CaseRegion>();
  const clinical: string[] = [];
  let backbone: Backbone | null = null;
  let handcrafted = false;
  for (const f of featureNames) {
    const p = parseCaseFeatureName(f);
    if (!p)
      throw new NacError(
        "DATA_INVALID",
        `column ${f} is not a case feature: a bundle could not compute it for a patient`,
      );
    if (p.kind === "clinical") {
      if (!CLINICAL_ENCODINGS.some((v) => v.name === p.variable))
        throw new NacError("DATA_INVALID", `column ${f}: unknown clinical variable`);
      clinical.push(p.variable);
      continue;
    }
    roles.add(p.role);
    regions.add(p.region);
    const deep = /^(resnet(?:10|18|34|50))_\d+$/.exec(p.feature);
    if (deep) {
      if (backbone && backbone !== deep[1])
        throw new NacError("DATA_INVALID", "a bundle's deep features must come from one encoder");
      backbone = deep[1] as Backbone;
    } else handcrafted = true;
  }
  const r = [...roles];
  const g = [...regions];
  return makeCaseFeatureSpec({
    roles: r.length ? r : ["CE_T1"],
    regions: g.length ? g : ["intra"],
    handcrafted: handcrafted ? undefined : null,
    deep: backbone ? { backbone, roles: r, regions: g } : null,
    clinical: CLINICAL_ENCODINGS.map((v) => v.name).filter((v) => clinical.includes(v)),
  });
}

/** Canonical JSON: stored runs come back from JSONB with their keys reordered. */
function sameNumbers(a: ProtocolResult, run: ExperimentRun): boolean {
  return (
    canonicalJson(a.partitions.map((p) => [p.testProbabilities, p.metrics])) ===
    canonicalJson(run.partitions.map((p) => [p.testProbabilities, p.metrics]))
  );
}

export async function buildExperimentBundle(
  table: ExperimentTable,
  req: ExperimentBundleRequest,
  runner: ProtocolRunner,
): Promise<ModelBundle> {
  const byEndpoint = new Map(req.runs.map((r) => [r.endpoint, r]));
  for (const e of ["pCR", "response"] as const) {
    if (!byEndpoint.has(e))
      throw new NacError(
        "DATA_INVALID",
        `feature set ${req.featureSet} has no ${e} result in experiment ${req.experimentId}: a bundle needs both endpoints (pCR and response)`,
      );
  }
  const colIndex = new Map(table.columns.map((c, i) => [c, i]));
  const columns = req.featureNames.map((f) => {
    const i = colIndex.get(f);
    if (i === undefined) throw new NacError("DATA_INVALID", `feature table lacks column ${f}`);
    return i;
  });
  const spec = caseSpecForColumns(req.featureNames);
  const endpoints: Parameters<typeof buildBundle>[0]["endpoints"] = {};
  const uncalibrated: string[] = [];
  for (const label of ["pCR", "response"] as const) {
    const run = byEndpoint.get(label)!;
    // A bundle file moves between sites: its partitions name test rows by index into the feature table (whose sha256
    // the model card gives), never by the table's patient IDs or pseudonyms. Row IDs change no number of the protocol.
    const { X, y, featureNames } = protocolInputOf(table, columns, label);
    const input = { X, y, featureNames };
    // Calibration leaves the partitions' own probabilities and metrics as they were: the check below still holds.
    const calibrate = req.calibrate !== false && canCalibrate(input.y, run.config.trainFraction);
    if (req.calibrate !== false && !calibrate) uncalibrated.push(label);
    const result = await runner(
      input,
      parseProtocolConfig({
        ...run.config,
        finalModel: true,
        ...(calibrate ? { calibration: { method: "auto", folds: REGISTRATION_CALIBRATION_FOLDS } } : {}),
      }),
    );
    if (!sameNumbers(result, run))
      throw new NacError(
        "DATA_INVALID",
        `re-fitting ${req.featureSet} / ${label} did not reproduce the stored experiment: not registered`,
      );
    endpoints[BUNDLE_ENDPOINT[label]] = {
      result,
      X: input.X,
      label,
      positiveClass: label === "pCR" ? "pathologic complete response" : ">= 30% tumour size reduction",
    };
  }
  const untrained = req.encoder?.origin === "untrained";
  const metricLines = req.runs.map((r) => {
    const m = r.metrics;
    const cal = m.calibrationSlope ? `, calibration slope ${formatMetric(m.calibrationSlope, false)}` : "";
    return `${r.endpoint} (n = ${r.nRows}, positive ${r.nPositive}; ${r.config.partitions} partitions, threshold ${r.config.threshold}): balanced accuracy ${formatMetric(m.balancedAccuracy, true)} %, sensitivity ${formatMetric(m.sensitivity, true)} %, specificity ${formatMetric(m.specificity, true)} %, AUC ${formatMetric(m.auc, false)}, Brier ${formatMetric(m.brier, false)}${cal} (mean ± SD [95 % corrected resampled t interval])`;
  });
  const finalFeatures = Object.entries(endpoints).map(
    ([ep, e]) => `${ep}: ${e.result.final!.selectedFeatures.join(", ")}`,
  );
  const encoderLine = req.encoder
    ? `Deep features: ${req.encoder.backbone} encoder, ${untrained ? ORIGIN_LABELS.untrained : req.encoder.label} (origin ${req.encoder.origin}, sha256 ${req.encoder.sha256}).`
    : "No deep features (no encoder).";
  return buildBundle({
    bundleId: req.bundleId,
    bundleVersion: req.bundleVersion,
    created: req.created,
    modelCard: {
      title: `NACpredict ${req.featureSet}${req.demo ? " (demo, synthetic data)" : ""}`,
      intendedUse:
        "Research use only: estimates, before neoadjuvant chemotherapy, the probability of pathologic complete response (pCR) and of response (>= 30 % tumour size reduction) of a breast cancer from pre-treatment imaging features" +
        `${spec.clinical.length ? " and clinical variables" : ""}, for discussion alongside standard care. Not a medical device; not for treatment decisions.`,
      limitations: [
        ...(req.demo
          ? ["Trained on synthetic or demonstration data: its probabilities say nothing about real patients."]
          : []),
        ...(untrained
          ? [
              `Deep features come from an untrained encoder (${req.encoder!.backbone}, seeded weights: ${ORIGIN_LABELS.untrained}), not from MedicalNet's pre-trained weights.`,
            ]
          : []),
        `Trained on ${req.table.rows} patients of one site (${req.table.source}); internal validation only (${req.runs[0].config.partitions} random stratified partitions), no external validation.`,
        "Inputs outside the training range are flagged but still scored.",
        "Partitions share patients: the 95 % intervals are approximate (corrected resampled t).",
        ...(req.calibrate === false ? ["Probabilities are uncalibrated (registered without calibration)."] : []),
        ...uncalibrated.map(
          (l) =>
            `${l} probabilities are uncalibrated: too few patients of a class for ${REGISTRATION_CALIBRATION_FOLDS}-fold calibration inside each training partition.`,
        ),
      ],
      trainingData: `Experiment "${req.experimentName}" (${req.experimentId}), feature set ${req.featureSet}: ${req.featureNames.length} features; feature table sha256 ${req.table.sha256} (${req.table.source}, ${req.table.rows} rows).`,
      demo: req.demo,
      authors: `Registered by ${req.registeredBy} from experiment ${req.experimentId}`,
      notes: [
        "Validation (from the experiment):",
        ...metricLines,
        "Final model features (fitted on all rows):",
        ...finalFeatures,
        encoderLine,
      ].join("\n"),
    },
    featureSpec: bundleFeatureSpec(spec, req.featureNames, req.encoder?.sha256),
    caseFeatureSpec: bundleCaseFeatureSpec(spec),
    endpoints,
    ...(req.acquisition ? { acquisition: req.acquisition } : {}),
    ...(req.allowSimilarCases ? { trainingCases: experimentTrainingCases(table, columns, endpoints) } : {}),
  });
}

/** Every table row with a known outcome: the final models' selected features and both outcomes, no identifier. */
function experimentTrainingCases(
  table: ExperimentTable,
  columns: number[],
  endpoints: Parameters<typeof buildBundle>[0]["endpoints"],
) {
  const names = columns.map((c) => table.columns[c]);
  const X = makeMatrix(table.rowIds.length, columns.length);
  table.rowIds.forEach((_, r) => columns.forEach((c, j) => (X.data[r * columns.length + j] = table.values[c][r])));
  const outcomes = Object.fromEntries(
    (["pCR", "response"] as const)
      .filter((l) => table.outcomes[l])
      .map((l) => [BUNDLE_ENDPOINT[l], table.outcomes[l]!]),
  );
  return trainingCasesOf(
    X,
    names,
    outcomes,
    Object.values(endpoints).flatMap((e) => e.result.final!.selectedFeatures),
  );
}
