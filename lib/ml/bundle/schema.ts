import { z } from "zod";
import { acquisitionDistributionSchema } from "../../acquisition/distribution";
import { protocolConfigSchema } from "../protocol/config";

/**
 * Model bundle: one JSON document carrying everything needed to predict and to audit a model.
 * Parts (see hash.ts) are hashed separately so that a tampered or corrupted part is named on load.
 * Schema versions: 1; 2 adds, all optional, a calibration map per pipeline with its held-out
 * before/after figures, the training acquisition distribution and (when the site allows it) de-identified training
 * cases. Version 1 bundles still load; they are uncalibrated. Either version may carry the versioned `caseFeatureSpec`
 * (bundles made before it carry the spec in a featureSpec entry, see lib/pipeline/case-features/bundle.ts).
 */
export const BUNDLE_FORMAT = "nacpredict-model-bundle";
export const BUNDLE_SCHEMA_VERSION = 2;
export const BUNDLE_SCHEMA_VERSIONS = [1, 2] as const;

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
    requiredInputs: z
      .object({ seriesRoles: z.array(z.string().min(1)), clinicalRecord: z.boolean() })
      .strict()
      .optional(),
  })
  .strict();

const preprocessorSchema = z
  .object({
    medians: z.array(finite),
    means: z.array(finite),
    scales: z.array(finite.refine((v) => v > 0, "scale must be > 0")),
  })
  .strict();

const modelRecordSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("logistic"), coefficients: z.array(finite), intercept: finite }).strict(),
  z.object({ kind: z.literal("xgboost"), json: z.string().min(2) }).strict(),
]);

const calibrationMethodSchema = z.enum(["platt", "isotonic"]);

export const calibrationRecordSchema = z
  .object({
    method: calibrationMethodSchema,
    map: z.discriminatedUnion("method", [
      z.object({ method: z.literal("platt"), a: finite, b: finite }).strict(),
      z
        .object({
          method: z.literal("isotonic"),
          xThresholds: z.array(finite).min(1),
          yThresholds: z.array(finite).min(1),
        })
        .strict(),
    ]),
    folds: z.number().int().min(2),
    nRows: z.number().int().min(1),
    logLoss: z.object({ platt: finite.optional(), isotonic: finite.optional() }).strict(),
    uncalibratedLogLoss: finite,
  })
  .strict();

export const pipelineRecordSchema = z
  .object({
    preprocessor: preprocessorSchema,
    mrmrFeatures: z.array(z.string()),
    selectedFeatures: z.array(z.string()).min(1),
    model: modelRecordSchema,
    rfeCvScores: z.array(z.object({ nFeatures: z.number().int(), mean: finite }).strict()).optional(),
    /** Schema 2: calibration map applied to the model's probability (absent = uncalibrated). */
    calibration: calibrationRecordSchema.optional(),
  })
  .strict();

const calibrationFiguresSchema = z.object({ brier: finite, ece: finite }).strict();
const reliabilityBinSchema = z
  .object({ lower: finite, upper: finite, n: z.number().int(), meanPredicted: finite, observed: finite })
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
  .object({
    n: z.number().int(),
    missing: z.number().int(),
    min: finite,
    max: finite,
    mean: finite,
    sd: finite,
    q05: finite,
    q25: finite,
    q50: finite,
    q75: finite,
    q95: finite,
  })
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
    /** Schema 2, with calibration: test probabilities through the partition's map, Brier / ECE before and after. */
    calibratedTestProbabilities: z.array(finite).optional(),
    calibrationMetrics: z
      .object({ before: calibrationFiguresSchema, after: calibrationFiguresSchema })
      .strict()
      .optional(),
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
        /** Schema 2, with calibration: held-out Brier / ECE before and after (mean ± SD), pooled reliability curves. */
        calibration: z
          .object({
            before: z.object({ brier: meanSdSchema, ece: meanSdSchema }).strict(),
            after: z.object({ brier: meanSdSchema, ece: meanSdSchema }).strict(),
            curve: z.object({ before: z.array(reliabilityBinSchema), after: z.array(reliabilityBinSchema) }).strict(),
            methods: z.object({ platt: z.number().int().optional(), isotonic: z.number().int().optional() }).strict(),
          })
          .strict()
          .optional(),
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

/**
 * Schema 2, only when the registering site allows it: de-identified training cases for "similar cases" — the final
 * models' selected features (raw values, null = missing) and every endpoint's outcome per training patient. No name,
 * no identifier, and rows in a canonical order (sorted by their values) so that a row cannot be joined to the
 * partitions' test-row ids or to the training table's order.
 */
export const trainingCasesSchema = z
  .object({
    features: z.array(z.string()).min(1),
    rows: z
      .array(
        z
          .object({
            values: z.array(finite.nullable()),
            outcomes: z.record(z.string(), z.union([z.literal(0), z.literal(1)])),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

/**
 * The case feature specification the features are computed with (lib/pipeline/case-features), versioned and with the
 * sha256 of its canonical JSON. Opaque here: lib/pipeline validates `spec`. Bundles made before this field carry the
 * spec as canonical JSON in a featureSpec entry named "spec:case-features" (still written for older readers).
 */
export const caseFeatureSpecFieldSchema = z
  .object({
    version: z.literal(1),
    spec: z.record(z.string(), z.unknown()),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

export const bundleSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    schemaVersion: z.union([z.literal(1), z.literal(2)]),
    bundleId: z.string().min(1),
    bundleVersion: z.string().min(1),
    created: z.string().datetime(),
    modelCard: modelCardSchema,
    featureSpec: z.array(featureSpecSchema).min(1),
    caseFeatureSpec: caseFeatureSpecFieldSchema.optional(),
    endpoints: z.record(z.string().min(1), endpointSchema),
    /** Schema 2: acquisition parameters of the training series (for the acquisition check at Predict). */
    acquisition: acquisitionDistributionSchema.optional(),
    /** Schema 2: de-identified training cases (similar cases), only when the site allowed it at registration. */
    trainingCases: trainingCasesSchema.optional(),
    integrity: integritySchema,
  })
  .strict();

export type ModelBundle = z.output<typeof bundleSchema>;
export type BundleEndpoint = ModelBundle["endpoints"][string];
export type FeatureSpec = z.output<typeof featureSpecSchema>;
export type ModelCard = z.output<typeof modelCardSchema>;
export type TrainingCases = z.output<typeof trainingCasesSchema>;
export type CaseFeatureSpecField = z.output<typeof caseFeatureSpecFieldSchema>;
