/**
 * lib/deep public API (browser-safe). Runtimes: `./runtime-node` (server) and `./runtime-web` (browser:
 * createWebSession, loadWebEncoder); file access and cached server sessions: `./node/model-store`, `./node/encoder`
 * (Node only).
 */
export {
  BACKBONES,
  DEPTHS,
  featureLength,
  parseDepth,
  expectedStateDict,
  type Backbone,
  type Depth,
} from "./architecture";
export {
  extractDeepFeatures,
  DEFAULT_PERI_MARGIN_MM,
  type DeepFeatureOptions,
  type DeepFeatures,
  type DeepPooling,
} from "./extract";
export {
  ORIGIN_LABELS,
  modelEntry,
  modelLabel,
  parseManifest,
  verifyModelBytes,
  type ModelEntry,
  type ModelManifest,
  type ModelOrigin,
} from "./models";
export {
  DEFAULT_PREPROCESS,
  maskedPool,
  preprocessRegion,
  type PreparedInput,
  type PreprocessOptions,
} from "./preprocess";
export { peritumoralShell, intratumoralMask, regionMask, type DeepRegion } from "./regions";
export type { EncoderOutput, EncoderSession, RuntimeName } from "./runtime";
export { medicalNetStateDict, type MedicalNetWeights } from "./checkpoint/medicalnet";
export { readTorchFile, TorchTensor } from "./checkpoint/torch-file";
export { buildEncoderOnnx, FEATURES_OUTPUT, INPUT_NAME, MAP_OUTPUT } from "./onnx/build-encoder";
export { seededStateDict, DEFAULT_SEED } from "./init-weights";
