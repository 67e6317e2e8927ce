import { CASE_FEATURES_VERSION, DEEP_ENGINE_VERSION } from "../pipeline/case-features";
import { BUNDLE_SCHEMA_VERSION } from "../ml/bundle/schema";
import { ENGINE_NAME as RADIOMICS_ENGINE, ENGINE_VERSION as RADIOMICS_VERSION } from "../radiomics/version";

/** Version of the experiment engine (feature-set selection, summaries, intervals, curves): stored with every experiment. */
export const EXPERIMENT_ENGINE_VERSION = "1";

/** The engine versions an experiment's numbers depend on (the service adds the application version and commit). */
export function engineVersions(): Record<string, string> {
  return {
    experiments: EXPERIMENT_ENGINE_VERSION,
    radiomics: `${RADIOMICS_ENGINE}@${RADIOMICS_VERSION}`,
    deep: `nacpredict-deep@${DEEP_ENGINE_VERSION}`,
    caseFeatures: CASE_FEATURES_VERSION,
    bundleSchema: String(BUNDLE_SCHEMA_VERSION),
  };
}
