export {
  parseExperimentConfig,
  resolveFeatureSets,
  experimentConfigSchema,
  type ExperimentConfig,
  type ExperimentConfigInput,
} from "./config";
export {
  parseExperimentTable,
  protocolInputOf,
  exportColumns,
  ID_COLUMN,
  OUTCOME_COLUMNS,
  type ExperimentTable,
  type OutcomeColumn,
} from "./feature-table";
export {
  runExperiment,
  summariseRun,
  serialRunner,
  type ExperimentResult,
  type ExperimentRun,
  type ProtocolRunner,
  type MetricSummaryWithCi,
} from "./run-experiment";
export { formatExperimentTable, experimentCsv, formatMetric, runsBySet, TABLE_METRICS } from "./report";
export {
  classifyColumn,
  describeColumns,
  featureSetLabel,
  featureSetName,
  EXTRACTORS,
  MODALITIES,
  REGIONS,
  type FeatureSetSelector,
} from "./feature-sets";
export { EXPERIMENT_ENGINE_VERSION, engineVersions } from "./version";
