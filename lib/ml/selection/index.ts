export {
  mrmr,
  DEFAULT_MRMR_FLOOR,
  type MrmrMethod,
  type MrmrTransform,
  type MrmrOptions,
  type MrmrResult,
} from "./mrmr";
export {
  rfe,
  rfecv,
  type RfeOptions,
  type RfeResult,
  type RfecvOptions,
  type RfecvResult,
  type RfecvScoring,
} from "./rfe";
export { discretiseMeanSd, mutualInformation } from "./discretise";
export { fStatistic, pearsonPairwise } from "./f-statistic";
export { normalQuantile, normalScores } from "./normal-scores";
export { fPValue1, incompleteBeta } from "./p-values";
