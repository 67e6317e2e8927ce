/** ECharts options for an experiment's plots (data in, option out; no React). */
import type { ExperimentRun } from "@/lib/experiments/run-experiment";

const PALETTE = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#9467bd",
  "#ff7f0e",
  "#8c564b",
  "#e377c2",
  "#17becf",
  "#7f7f7f",
  "#bcbd22",
];
const AXIS = {
  axisLine: { lineStyle: { color: "#333" } },
  splitLine: { lineStyle: { color: "#e5e5e5" } },
  nameLocation: "middle" as const,
  nameGap: 28,
  min: 0,
  max: 1,
};

/** The dashed y = x reference line (chance on a ROC plot, perfect calibration on a calibration plot). */
function diagonal(name: string): object {
  return {
    type: "line",
    data: [
      [0, 0],
      [1, 1],
    ],
    lineStyle: { type: "dashed", color: "#999", width: 1 },
    symbol: "none",
    silent: true,
    name,
  };
}

/** Mean ROC curve of each run (vertical average over partitions) with its ±1 SD band. */
export function rocOption(runs: ExperimentRun[]) {
  const series: object[] = [diagonal("chance")];
  runs.forEach((r, i) => {
    const color = PALETTE[i % PALETTE.length];
    const stack = `band${i}`;
    const auc = r.metrics.auc;
    const name = `${r.featureSet} (AUC ${auc ? auc.mean.toFixed(3) : "—"})`;
    series.push(
      {
        type: "line",
        data: r.roc.fpr.map((f, k) => [f, r.roc.tprLower[k]]),
        stack,
        symbol: "none",
        lineStyle: { opacity: 0 },
        silent: true,
        name: `${name} band`,
        legendHoverLink: false,
        tooltip: { show: false },
      },
      {
        type: "line",
        data: r.roc.fpr.map((f, k) => [f, r.roc.tprUpper[k] - r.roc.tprLower[k]]),
        stack,
        symbol: "none",
        lineStyle: { opacity: 0 },
        areaStyle: { color, opacity: 0.15 },
        silent: true,
        name: `${name} band`,
        tooltip: { show: false },
      },
      {
        type: "line",
        data: r.roc.fpr.map((f, k) => [f, r.roc.tprMean[k]]),
        symbol: "none",
        lineStyle: { color, width: 2 },
        itemStyle: { color },
        name,
      },
    );
  });
  return {
    color: PALETTE,
    grid: { left: 56, right: 16, top: 16, bottom: gridBottom(runs.length) },
    legend: {
      bottom: 0,
      data: runs.map((r) => `${r.featureSet} (AUC ${r.metrics.auc ? r.metrics.auc.mean.toFixed(3) : "—"})`),
      textStyle: { fontSize: 11 },
    },
    tooltip: { trigger: "axis" },
    xAxis: { type: "value", name: "1 − specificity (false-positive rate)", ...AXIS },
    yAxis: { type: "value", name: "Sensitivity (true-positive rate)", ...AXIS, nameGap: 36 },
    series,
  };
}

/**
 * Room under the plot for the x-axis name and the legend, which wraps at about three feature sets per line (a fixed
 * margin let the calibration legend's second line cover the axis name).
 */
function gridBottom(sets: number): number {
  return 56 + 20 * Math.ceil(Math.max(1, sets) / 3);
}

/** Calibration: mean predicted probability vs observed rate per bin (pooled test predictions), Wilson 95 % bars. */
export function calibrationOption(runs: ExperimentRun[]) {
  const series: object[] = [diagonal("perfect calibration")];
  runs.forEach((r, i) => {
    const color = PALETTE[i % PALETTE.length];
    series.push(
      {
        type: "line",
        name: r.featureSet,
        data: r.calibration.map((b) => [b.meanPredicted, b.observed, b.n]),
        symbolSize: 7,
        lineStyle: { color, width: 1.5 },
        itemStyle: { color },
      },
      {
        type: "custom",
        name: r.featureSet,
        silent: true,
        data: r.calibration.map((b) => [b.meanPredicted, b.observedLower, b.observedUpper]),
        renderItem: (_p: unknown, api: { value: (i: number) => number; coord: (v: number[]) => number[] }) => {
          const lo = api.coord([api.value(0), api.value(1)]);
          const hi = api.coord([api.value(0), api.value(2)]);
          return {
            type: "line",
            shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] },
            style: { stroke: color, lineWidth: 1, opacity: 0.6 },
          };
        },
      },
    );
  });
  return {
    color: PALETTE,
    grid: { left: 56, right: 16, top: 16, bottom: gridBottom(runs.length) },
    legend: { bottom: 0, data: runs.map((r) => r.featureSet), textStyle: { fontSize: 11 } },
    tooltip: {
      trigger: "item",
      formatter: (p: { seriesName: string; value: number[] }) =>
        `${p.seriesName}<br/>predicted ${p.value[0].toFixed(2)}, observed ${p.value[1].toFixed(2)} (n = ${p.value[2]})`,
    },
    xAxis: { type: "value", name: "Mean predicted probability", ...AXIS },
    yAxis: { type: "value", name: "Observed rate", ...AXIS, nameGap: 36 },
    series,
  };
}

/** How often each feature was in the final selection, across partitions. */
export function selectionOption(run: ExperimentRun, top = 15) {
  const items = run.selectionFrequency.slice(0, top).reverse();
  return {
    grid: { left: 8, right: 40, top: 8, bottom: 36, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: {
      type: "value",
      min: 0,
      max: 1,
      name: `Selection frequency (${run.config.partitions} partitions)`,
      nameLocation: "middle",
      nameGap: 24,
      axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
    },
    yAxis: { type: "category", data: items.map((f) => f.feature), axisLabel: { fontSize: 10 } },
    series: [
      {
        type: "bar",
        data: items.map((f) => f.frequency),
        itemStyle: { color: "#1f77b4" },
        label: {
          show: true,
          position: "right",
          formatter: (p: { value: number }) => `${Math.round(p.value * 100)}%`,
          fontSize: 10,
        },
      },
    ],
  };
}
