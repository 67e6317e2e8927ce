import { z } from "zod";
import { protocolConfigSchema } from "../protocol/config";

/**
 * Model bundle, schema version 1: one JSON document carrying everything needed to predict and to audit a model.
 * Parts (see hash.ts) are hashed separately so that a tampered or corrupted part is named on load.
 */
export const BUNDLE_FORMAT = "nacpredict-model-bundle";
export const BUNDLE_SCHEMA_VERSION = 1;

const finite = z.number().refine(Number.isFinite, "must be a finite number");

export const featureSpecSchema = z
  .object({
    name: z.string().min(1),
    /** Series role the feature is computed from (e.g. "CE-T1", "T2", "CT"). */
    sourceRole: z.string().optional(),
    /** Region of interest (e.g. "tumour", "peritumoural-5mm"). */
    region: z.string().optional(),
    /** Extractor and feature family, e.g. "radiomics:glcm" or "deep:medicalnet-resnet10". */
    extractor: z.string().optional(),
    /** sha256 of the extractor settings that produced the feature. */
    settingsHash: z.string().optional(),
    description: z.string().optional(),
  })
  .strict();

export const modelCardSchema = z
  .object({
    title: z.string().min(1),
    intendedUse: z.string().min(1),
    limitations: z.array(z.string()),
    trainingData: z.string().min(1),
    /** True for bundles trained on synthetic or demonstration data: never for clinical interpretation. */
    demo: z.boolean(),
    authors: z.string().optional(),
    notes: z.string().optional(),
    /**
     * Inputs without which a prediction is shown as incomplete and needs an explicit "predict anyway": series roles
     * that must have a tumour ROI, and whether a clinical record is needed. Absent: every role and the clinical record
     * the endpoints' input features come from.
     */
    requiredInputs: z.object({ seriesRoles: z.array(z.string().min(1)), clinicalRecord: z.boolean() }).strict().optional(),
  })
  .strict();

const preprocessorSchema = z.object({ medians: z.array(finite), means: z.array(finite), scales: z.array(finite.refine((v) => v > 0, "scale must be > 0")) }).strict();

const modelRecordSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("logistic"), coefficients: z.array(finite), intercept: finite }).strict(),
  z.object({ kind: z.literal("xgboost"), json: z.string().min(2) }).strict(),
]);

export const pipelineRecordSchema = z
  .object({
    preprocessor: preprocessorSchema,
    mrmrFeatures: z.array(z.string()),
    selectedFeatures: z.array(z.string()).min(1),
    model: modelRecordSchema,
    rfeCvScores: z.array(z.object({ nFeatures: z.number().int(), mean: finite }).strict()).optional(),
  })
  .strict();

const metricsSchema = z
  .object({
    n: z.number().int(),
    nPositive: z.number().int(),
    balancedAccuracy: finite,
    sensitivity: finite,
    specificity: finite,
    accuracy: finite,
    f1: finite,
    auc: finite,
    aucCiLower: finite,
    aucCiUpper: finite,
    brier: finite,
    calibrationIntercept: finite,
    calibrationSlope: finite.nullable(),
  })
  .strict();

const meanSdSchema = z.object({ mean: finite, sd: finite, min: finite, max: finite, n: z.number().int() }).strict();
const frequencySchema = z.array(z.object({ feature: z.string(), count: z.number().int(), frequency: finite }).strict());

export const featureSummarySchema = z
  .object({ n: z.number().int(), missing: z.number().int(), min: finite, max: finite, mean: finite, sd: finite, q05: finite, q25: finite, q50: finite, q75: finite, q95: finite })
  .strict();

export const partitionRecordSchema = z
  .object({
    index: z.number().int(),
    /** Test rows as indices into the training data set's row order. */
    testRows: z.array(z.number().int().min(0)),
    /** Test rows by identifier, when the data set had an id column. */
    testRowIds: z.array(z.string()).optional(),
    testProbabilities: z.array(finite),
    pipeline: pipelineRecordSchema,
    metrics: metricsSchema,
  })
  .strict();

export const endpointSchema = z
  .object({
    /** Outcome column the endpoint was trained on (e.g. "pCR"), and what class 1 means. */
    label: z.string().min(1),
    positiveClass: z.string().optional(),
    config: protocolConfigSchema,
    /** Input features of this endpoint, in the column order of every preprocessor. */
    featureNames: z.array(z.string()).min(1),
    nRows: z.number().int(),
    nPositive: z.number().int(),
    trainingSummary: z.record(z.string(), featureSummarySchema),
    partitions: z.array(partitionRecordSchema).min(1),
    final: pipelineRecordSchema,
    metrics: z
      .object({
        summary: z.record(z.string(), meanSdSchema.nullable()),
        selectionFrequency: frequencySchema,
        mrmrFrequency: frequencySchema,
      })
      .strict(),
  })
  .strict();

export const integritySchema = z
  .object({
    algorithm: z.literal("sha256"),
    /** sha256 (hex) of the canonical JSON of each part, by part name. */
    parts: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
    /** sha256 of the canonical JSON of `parts`: one fingerprint for the whole bundle. */
    bundle: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

export const bundleSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    schemaVersion: z.literal(BUNDLE_SCHEMA_VERSION),
    bundleId: z.string().min(1),
    bundleVersion: z.string().min(1),
    created: z.string().datetime(),
    modelCard: modelCardSchema,
    featureSpec: z.array(featureSpecSchema).min(1),
    endpoints: z.record(z.string().min(1), endpointSchema),
    integrity: integritySchema,
  })
  .strict();

export type ModelBundle = z.output<typeof bundleSchema>;
export type BundleEndpoint = ModelBundle["endpoints"][string];
export type FeatureSpec = z.output<typeof featureSpecSchema>;
export type ModelCard = z.output<typeof modelCardSchema>;
