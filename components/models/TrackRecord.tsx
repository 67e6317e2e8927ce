"use client";
import { useMemo } from "react";
import type { ModelTrackRecord } from "@/lib/pipeline/track-record";
import { EChart } from "@/components/experiments/EChart";

const pct = (v: number | null) => (v === null ? "—" : `${(100 * v).toFixed(1)} %`);

/** The active model's local track record: its stored predictions for patients whose outcome is now recorded. */
export function TrackRecord({ record }: { record: ModelTrackRecord }) {
  const option = useMemo(
    () => ({
      grid: { left: 56, right: 16, top: 16, bottom: 64 },
      legend: { bottom: 0 },
      xAxis: { type: "value", min: 0, max: 1, name: "Predicted probability", nameLocation: "middle", nameGap: 28 },
      yAxis: { type: "value", min: 0, max: 1, name: "Observed rate", nameLocation: "middle", nameGap: 36 },
      series: [
        { type: "line", data: [[0, 0], [1, 1]], symbol: "none", lineStyle: { type: "dashed", color: "#999" }, name: "perfect calibration" },
        ...record.endpoints.map((e, i) => ({ type: "line", name: e.endpoint, data: e.calibration.map((b) => [b.meanPredicted, b.observed]), itemStyle: { color: ["#1f77b4", "#d62728"][i] } })),
      ],
    }),
    [record],
  );
  return (
    <section className="flex flex-col gap-2 rounded border border-room-700 bg-room-900 p-3" data-testid="track-record">
      <h2 className="font-semibold">Local track record (this site&apos;s patients with recorded outcomes — not the training validation)</h2>
      <p className="text-sm text-ink-300">
        {record.predictions} predictions by this model; each patient counts once (latest prediction). Thresholds as in the model.
      </p>
      <table className="text-sm">
        <thead className="text-ink-500">
          <tr>
            <th className="pr-4 text-left">Endpoint</th>
            <th className="pr-4 text-left">n (positive)</th>
            <th className="pr-4 text-left">Balanced accuracy</th>
            <th className="pr-4 text-left">Sensitivity</th>
            <th className="pr-4 text-left">Specificity</th>
            <th className="pr-4 text-left">AUC</th>
            <th className="pr-4 text-left">Brier</th>
          </tr>
        </thead>
        <tbody>
          {record.endpoints.map((e) => (
            <tr key={e.endpoint} className="border-t border-room-700" data-testid={`track-${e.endpoint}`}>
              <td className="pr-4">{e.endpoint}</td>
              <td className="pr-4">
                {e.n} ({e.nPositive})
              </td>
              <td className="pr-4">{pct(e.balancedAccuracy)}</td>
              <td className="pr-4">{pct(e.sensitivity)}</td>
              <td className="pr-4">{pct(e.specificity)}</td>
              <td className="pr-4">{e.auc === null ? "—" : e.auc.toFixed(3)}</td>
              <td className="pr-4">{e.brier === null ? "—" : e.brier.toFixed(3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {record.endpoints.some((e) => e.n < 30) && <p className="text-xs text-warn-400">Fewer than 30 patients with an outcome for an endpoint: these figures are very uncertain.</p>}
      {record.endpoints.some((e) => e.calibration.length) ? <EChart option={option} title="Local calibration" fileName={`track-record-${record.bundleId}-${record.version}`} height={300} /> : null}
    </section>
  );
}
