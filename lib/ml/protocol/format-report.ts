import type { MetricName } from "../metrics/evaluate";
import type { ProtocolResult } from "./run-protocol";

const LABELS: Record<MetricName, string> = {
  balancedAccuracy: "Balanced accuracy",
  sensitivity: "Sensitivity",
  specificity: "Specificity",
  auc: "AUC",
  accuracy: "Accuracy",
  f1: "F1",
  brier: "Brier score",
  calibrationIntercept: "Calibration intercept",
  calibrationSlope: "Calibration slope",
};

/** Plain-text report: metrics (mean ± SD across partitions, min–max) and selection frequencies. */
export function formatProtocolReport(r: ProtocolResult, topFeatures = 20): string {
  const c = r.config;
  const lines: string[] = [];
  const clf =
    c.classifier.type === "xgboost"
      ? `XGBoost (${c.classifier.params.num_boost_round} rounds, eta ${c.classifier.params.eta}, max_depth ${c.classifier.params.max_depth}, ${c.classifier.params.tree_method})`
      : `logistic regression (C ${c.classifier.C})`;
  const rfe =
    c.rfe.mode === "count"
      ? `RFE to ${c.rfe.nFeatures} (step ${c.rfe.step})`
      : c.rfe.mode === "cv"
        ? `RFECV (${c.rfe.folds}-fold, ${c.rfe.scoring})`
        : "no RFE";
  lines.push(`${r.nRows} rows (${r.nPositive} positive), ${r.featureNames.length} features`);
  lines.push(
    `${c.partitions} stratified partitions, train fraction ${c.trainFraction}, seed ${c.seed}; mRMR ${c.mrmr.method}${c.mrmr.transform === "normalScores" ? " on normal scores" : ""} k=${c.mrmr.k}; ${rfe}; ${clf}; threshold ${c.threshold}`,
  );
  lines.push("");
  const w = Math.max(...Object.values(LABELS).map((s) => s.length));
  lines.push(`${"Metric".padEnd(w)}  ${"mean ± SD".padEnd(17)}  min – max`);
  for (const [k, label] of Object.entries(LABELS) as [MetricName, string][]) {
    const s = r.summary[k];
    if (!s) {
      lines.push(`${label.padEnd(w)}  undefined in every partition`);
      continue;
    }
    const note = s.n < r.partitions.length ? `  (${s.n}/${r.partitions.length} partitions)` : "";
    lines.push(
      `${label.padEnd(w)}  ${`${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)}`.padEnd(17)}  ${s.min.toFixed(3)} – ${s.max.toFixed(3)}${note}`,
    );
  }
  const ci = r.partitions.map(
    (p) => `${p.metrics.auc.toFixed(3)} [${p.metrics.aucCiLower.toFixed(3)}, ${p.metrics.aucCiUpper.toFixed(3)}]`,
  );
  lines.push("");
  lines.push(`AUC per partition with ${Math.round(c.ciLevel * 100)}% DeLong CI: ${ci.join("; ")}`);
  lines.push("");
  lines.push(
    `Selection frequency (final features, ${r.partitions.length} partitions; top ${Math.min(topFeatures, r.selectionFrequency.length)} of ${r.selectionFrequency.length}):`,
  );
  for (const s of r.selectionFrequency.slice(0, topFeatures))
    lines.push(`  ${s.feature.padEnd(40)} ${String(s.count).padStart(3)}  ${(100 * s.frequency).toFixed(0)}%`);
  if (r.final) {
    lines.push("");
    lines.push(`Final model (all rows): ${r.final.selectedFeatures.join(", ")}`);
  }
  lines.push("");
  lines.push(`Elapsed ${(r.elapsedMs / 1000).toFixed(1)} s`);
  return lines.join("\n");
}
