import { NacError } from "../../errors";
import type { Matrix } from "../matrix";
import type { ProtocolResult } from "../protocol/run-protocol";
import { computeIntegrity } from "./hash";
import type { AcquisitionDistribution } from "../../acquisition/distribution";
import {
  BUNDLE_FORMAT,
  BUNDLE_SCHEMA_VERSION,
  type BundleEndpoint,
  type CaseFeatureSpecField,
  type FeatureSpec,
  type ModelBundle,
  type ModelCard,
  type TrainingCases,
} from "./schema";
import { summariseFeatures } from "./training-summary";

export interface EndpointInput {
  /** Protocol result with its final model (config.finalModel = true). */
  result: ProtocolResult;
  /** The raw training features the result was computed from (rows and columns as given to runProtocol). */
  X: Matrix;
  label: string;
  positiveClass?: string;
}

export interface BuildBundleInput {
  bundleId: string;
  bundleVersion: string;
  /** ISO 8601; defaults to now. */
  created?: string;
  modelCard: ModelCard;
  /** How each feature is computed; must cover every endpoint's input features. */
  featureSpec: FeatureSpec[];
  /** The versioned case feature specification (bundles whose features are case features). */
  caseFeatureSpec?: CaseFeatureSpecField;
  endpoints: Record<string, EndpointInput>;
  /** Acquisition parameters of the training series (schema 2). */
  acquisition?: AcquisitionDistribution;
  /** De-identified training cases (schema 2; `trainingCasesOf`), only when the site allows similar cases. */
  trainingCases?: TrainingCases;
}

function endpointSection(name: string, e: EndpointInput): BundleEndpoint {
  const r = e.result;
  if (!r.final)
    throw new NacError(
      "DATA_INVALID",
      `endpoint ${name}: the protocol result has no final model (run with finalModel = true)`,
    );
  if (e.X.rows !== r.nRows || e.X.cols !== r.featureNames.length) {
    throw new NacError(
      "DATA_INVALID",
      `endpoint ${name}: data ${e.X.rows}x${e.X.cols} does not match the result (${r.nRows}x${r.featureNames.length})`,
    );
  }
  return {
    label: e.label,
    ...(e.positiveClass ? { positiveClass: e.positiveClass } : {}),
    config: r.config,
    featureNames: r.featureNames,
    nRows: r.nRows,
    nPositive: r.nPositive,
    trainingSummary: summariseFeatures(e.X, r.featureNames),
    partitions: r.partitions.map((p) => ({
      index: p.index,
      testRows: p.testRows,
      ...(r.rowIds ? { testRowIds: p.testRows.map((i) => r.rowIds![i]) } : {}),
      testProbabilities: p.testProbabilities,
      pipeline: {
        preprocessor: p.preprocessor,
        mrmrFeatures: p.mrmrFeatures,
        selectedFeatures: p.selectedFeatures,
        model: p.model,
        ...(p.rfeCvScores ? { rfeCvScores: p.rfeCvScores } : {}),
        ...(p.calibration ? { calibration: p.calibration } : {}),
      },
      metrics: p.metrics,
      ...(p.calibratedTestProbabilities ? { calibratedTestProbabilities: p.calibratedTestProbabilities } : {}),
      ...(p.calibrationMetrics ? { calibrationMetrics: p.calibrationMetrics } : {}),
    })),
    final: r.final,
    metrics: {
      summary: r.summary,
      selectionFrequency: r.selectionFrequency,
      mrmrFrequency: r.mrmrFrequency,
      ...(r.calibration ? { calibration: r.calibration } : {}),
    },
  };
}

/** Assembles a bundle from protocol results and stamps the sha256 of every part. */
export function buildBundle(input: BuildBundleInput): ModelBundle {
  const specNames = new Set(input.featureSpec.map((f) => f.name));
  if (specNames.size !== input.featureSpec.length)
    throw new NacError("DATA_INVALID", "feature specification has duplicate names");
  const endpoints: Record<string, BundleEndpoint> = {};
  for (const [name, e] of Object.entries(input.endpoints)) {
    const missing = e.result.featureNames.filter((f) => !specNames.has(f));
    if (missing.length)
      throw new NacError(
        "DATA_INVALID",
        `endpoint ${name}: features without specification: ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", ..." : ""}`,
      );
    endpoints[name] = endpointSection(name, e);
  }
  if (!Object.keys(endpoints).length) throw new NacError("DATA_INVALID", "a bundle needs at least one endpoint");
  const body = {
    format: BUNDLE_FORMAT,
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    bundleId: input.bundleId,
    bundleVersion: input.bundleVersion,
    created: input.created ?? new Date().toISOString(),
    modelCard: input.modelCard,
    featureSpec: input.featureSpec,
    ...(input.caseFeatureSpec ? { caseFeatureSpec: input.caseFeatureSpec } : {}),
    endpoints,
    ...(input.acquisition ? { acquisition: input.acquisition } : {}),
    ...(input.trainingCases ? { trainingCases: input.trainingCases } : {}),
  } as const;
  // Round-trip through JSON so the hashed object is exactly what a reader will parse (typed arrays -> arrays).
  const plain = JSON.parse(JSON.stringify(body)) as Omit<ModelBundle, "integrity">;
  return { ...plain, integrity: computeIntegrity(plain) };
}
