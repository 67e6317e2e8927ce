export { buildBundle, type BuildBundleInput, type EndpointInput } from "./build-bundle";
export { loadBundleOrThrow, type LoadedBundle } from "./load-bundle";
export {
  predictWithBundle,
  type BundlePrediction,
  type FeatureRow,
  type OutOfRangeWarning,
} from "./predict-with-bundle";
export { reevaluateBundle, type ReevaluationData } from "./reevaluate";
export {
  bundleSchema,
  BUNDLE_FORMAT,
  BUNDLE_SCHEMA_VERSION,
  type ModelBundle,
  type BundleEndpoint,
  type FeatureSpec,
  type ModelCard,
} from "./schema";
export { canonicalJson } from "../../hash/canonical-json";
export { summariseFeatures, type FeatureSummary } from "./training-summary";
export { similarCases, trainingCasesOf, type SimilarCase } from "./similar-cases";
export { type TrainingCases, type CaseFeatureSpecField } from "./schema";
