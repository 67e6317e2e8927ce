import { formatMetric, TABLE_METRICS, type runsBySet } from "@/lib/experiments/report";
import type { StoredExperiment } from "@/lib/pipeline/experiment/experiments";

/** The paper's comparison table: each feature set's metrics per endpoint, the best balanced accuracy starred, CSV. */
export function ComparisonTable({
  experiment: e,
  groups,
  bestBy,
}: {
  experiment: StoredExperiment;
  groups: ReturnType<typeof runsBySet>;
  bestBy: Record<string, number>;
}) {
  const endpoints = e.config.endpoints;
  return (
    <section className="flex flex-col gap-2">
      <div className="flex items-center justify-between">
        <h2 className="font-semibold">Comparison</h2>
        <a
          href={`/api/experiments/${e.id}/export`}
          className="rounded border border-room-600 px-2 py-0.5 text-sm text-ink-300 hover:text-ink-100"
          data-testid="export-csv"
        >
          Export CSV
        </a>
      </div>
      <p className="text-xs text-ink-500">
        Mean ± SD over {e.runs[0].config.partitions} stratified train/test partitions, [95 % interval: corrected
        resampled t, approximate because partitions share patients]. Balanced accuracy, sensitivity and specificity in
        %, at each endpoint&apos;s threshold. ★ best mean balanced accuracy per endpoint.
      </p>
      <div className="overflow-x-auto">
        <table className="text-sm" data-testid="comparison-table">
          <thead className="text-ink-500">
            <tr>
              <th rowSpan={2} className="pr-3 text-left align-bottom">
                Feature set
              </th>
              <th rowSpan={2} className="pr-3 text-right align-bottom">
                Features
              </th>
              {endpoints.map((ep) => (
                <th key={ep} colSpan={TABLE_METRICS.length + 1} className="border-l border-room-700 px-2 text-left">
                  {ep} (n = {e.runs.find((r) => r.endpoint === ep)?.nRows}, positive{" "}
                  {e.runs.find((r) => r.endpoint === ep)?.nPositive}, threshold{" "}
                  {e.runs.find((r) => r.endpoint === ep)?.config.threshold})
                </th>
              ))}
            </tr>
            <tr>
              {endpoints.flatMap((ep) => [
                ...TABLE_METRICS.map((m, i) => (
                  <th
                    key={`${ep}${m.key}`}
                    className={`px-2 text-left font-normal ${i === 0 ? "border-l border-room-700" : ""}`}
                  >
                    {m.label}
                  </th>
                )),
                <th key={`${ep}reg`} />,
              ])}
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.featureSet} className="border-t border-room-700" data-testid={`row-${g.featureSet}`}>
                <td className="pr-3" title={g.label}>
                  <span className="font-mono text-xs">{g.featureSet}</span>
                  <br />
                  <span className="text-xs text-ink-500">{g.label}</span>
                </td>
                <td className="pr-3 text-right">{g.runs[0].nFeatures}</td>
                {endpoints.flatMap((ep) => {
                  const r = g.runs.find((x) => x.endpoint === ep);
                  return [
                    ...TABLE_METRICS.map((m, i) => (
                      <td
                        key={`${ep}${m.key}`}
                        className={`whitespace-nowrap px-2 ${i === 0 ? "border-l border-room-700" : ""}`}
                      >
                        {r ? formatMetric(r.metrics[m.key], m.percent) : "—"}
                      </td>
                    )),
                    <td key={`${ep}best`}>{r && r.metrics.balancedAccuracy?.mean === bestBy[ep] ? "★" : ""}</td>,
                  ];
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {e.summary?.skipped.length ? (
        <p className="text-xs text-ink-500">
          Not run: {e.summary.skipped.map((s) => `${s.name} (${s.reason})`).join("; ")}
        </p>
      ) : null}
    </section>
  );
}
