export { thresholdMetrics, type ThresholdMetrics } from "./threshold-metrics";
export { aucWithCi, midranks, normalQuantile, type AucResult } from "./auc";
export { brierScore, calibration, logit, type Calibration } from "./calibration";
export { evaluateBinary, METRIC_NAMES, type BinaryMetrics, type MetricName } from "./evaluate";
export {
  meanSd,
  summariseMetrics,
  selectionFrequency,
  type MeanSd,
  type MetricsSummary,
  type SelectionFrequency,
} from "./summary";
