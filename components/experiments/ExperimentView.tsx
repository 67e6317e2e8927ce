"use client";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { fetchJson } from "@/lib/api/fetch-json";
import { experimentStatusResponse } from "@/lib/api/schemas";
import { runsBySet } from "@/lib/experiments/report";
import type { ExperimentRun } from "@/lib/experiments/run-experiment";
import type { StoredExperiment } from "@/lib/pipeline/experiment/experiments";
import { EChart } from "./EChart";
import { calibrationOption, rocOption, selectionOption } from "./charts";
import { ComparisonTable } from "./ComparisonTable";
import { RegisterPanel } from "./RegisterPanel";

/** Results of one experiment: the paper's table, ROC and calibration plots, selection frequencies, exports, register. */
export function ExperimentView({ experiment: e }: { experiment: StoredExperiment }) {
  const router = useRouter();
  const [status, setStatus] = useState({
    status: e.status,
    progress: e.progress,
    progressNote: e.progressNote,
    error: e.error,
  });
  useEffect(() => {
    if (status.status !== "queued" && status.status !== "running") return;
    const t = setInterval(async () => {
      // a failed poll is retried at the next tick
      const s = await fetchJson(`/api/experiments/${e.id}?view=status`, experimentStatusResponse).catch(() => null);
      if (!s) return;
      setStatus(s);
      if (s.status === "succeeded" || s.status === "failed") router.refresh();
    }, 1500);
    return () => clearInterval(t);
  }, [e.id, status.status, router]);

  const endpoints = e.config.endpoints;
  const [endpoint, setEndpoint] = useState<string>(endpoints[0]);
  const groups = runsBySet(e);
  const epRuns = useMemo(() => e.runs.filter((r) => r.endpoint === endpoint), [e.runs, endpoint]);
  // null = the default (first six sets): the page first renders while the experiment runs, with no runs yet.
  const [chosen, setShown] = useState<string[] | null>(null);
  const shown = chosen ?? groups.slice(0, 6).map((g) => g.featureSet);
  const plotted = epRuns.filter((r) => shown.includes(r.featureSet));
  const [selFor, setSelFor] = useState<string>(groups[0]?.featureSet ?? "");
  const selRun = epRuns.find((r) => r.featureSet === selFor) ?? epRuns[0];
  const plottedKey = plotted.map((r) => r.featureSet).join("|");
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the plotted sets and endpoint
  const rocOpt = useMemo(() => rocOption(plotted), [plottedKey, endpoint]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the plotted sets and endpoint
  const calOpt = useMemo(() => calibrationOption(plotted), [plottedKey, endpoint]);
  const selOpt = useMemo(() => (selRun ? selectionOption(selRun) : null), [selRun]);
  const best = (runs: ExperimentRun[]) => Math.max(...runs.map((r) => r.metrics.balancedAccuracy?.mean ?? -1));
  const bestBy = Object.fromEntries(endpoints.map((ep) => [ep, best(e.runs.filter((r) => r.endpoint === ep))]));

  return (
    <article className="flex flex-col gap-4" data-testid="experiment-view">
      <header className="flex flex-col gap-1">
        <h1 className="text-xl font-semibold">{e.name}</h1>
        <p className="text-sm text-ink-300" data-testid="experiment-status">
          Status: <b>{status.status}</b>
          {status.status === "running" && ` — ${Math.round(100 * status.progress)} % (${status.progressNote ?? ""})`}
          {status.error && <span className="text-danger-400"> — {status.error}</span>}
          {e.elapsedMs !== null && status.status === "succeeded" && ` — ${(e.elapsedMs / 1000).toFixed(1)} s`}
        </p>
        {(status.status === "queued" || status.status === "running") && (
          <progress className="h-1 w-64" value={status.progress} max={1} />
        )}
        <p className="text-xs text-ink-500">
          Feature table sha256 {e.tableSha256} ({e.tableSummary.source}; {e.tableSummary.rows} patients,{" "}
          {e.tableSummary.columns} feature columns) · engines{" "}
          {Object.entries(e.engineVersions)
            .map(([k, v]) => `${k} ${v}`)
            .join(", ")}{" "}
          · created {e.createdAt.slice(0, 16).replace("T", " ")} UTC{e.createdBy ? ` by ${e.createdBy}` : ""}
        </p>
        <details className="text-xs text-ink-500">
          <summary>Configuration</summary>
          <pre className="whitespace-pre-wrap">{JSON.stringify(e.config, null, 1)}</pre>
        </details>
      </header>

      {e.runs.length > 0 && (
        <>
          <ComparisonTable experiment={e} groups={groups} bestBy={bestBy} />

          <section className="flex flex-col gap-2">
            <div className="flex flex-wrap items-center gap-3 text-sm">
              <label>
                Endpoint{" "}
                <select
                  value={endpoint}
                  onChange={(ev) => setEndpoint(ev.target.value)}
                  className="rounded bg-room-800 px-1"
                  data-testid="plot-endpoint"
                >
                  {endpoints.map((ep) => (
                    <option key={ep}>{ep}</option>
                  ))}
                </select>
              </label>
              <span className="text-ink-500">Plotted:</span>
              {groups.map((g) => (
                <label key={g.featureSet} className="flex items-center gap-1 text-xs">
                  <input
                    type="checkbox"
                    checked={shown.includes(g.featureSet)}
                    onChange={(ev) =>
                      setShown(ev.target.checked ? [...shown, g.featureSet] : shown.filter((s) => s !== g.featureSet))
                    }
                  />
                  {g.featureSet}
                </label>
              ))}
            </div>
            <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
              <EChart
                option={rocOpt}
                title={`ROC curves, ${endpoint} (mean over partitions, band ±1 SD)`}
                fileName={`roc-${endpoint}-${e.id.slice(0, 8)}`}
                height={420}
                testId="roc-chart"
              />
              <EChart
                option={calOpt}
                title={`Calibration, ${endpoint} (pooled test predictions, Wilson 95 % bars)`}
                fileName={`calibration-${endpoint}-${e.id.slice(0, 8)}`}
                height={420}
                testId="calibration-chart"
              />
            </div>
            {selOpt && selRun && (
              <div className="flex flex-col gap-1">
                <label className="text-sm">
                  Selection frequency of{" "}
                  <select
                    value={selRun.featureSet}
                    onChange={(ev) => setSelFor(ev.target.value)}
                    className="rounded bg-room-800 px-1"
                  >
                    {groups.map((g) => (
                      <option key={g.featureSet}>{g.featureSet}</option>
                    ))}
                  </select>
                </label>
                <EChart
                  option={selOpt}
                  title={`Features selected (after mRMR and RFE), ${selRun.featureSet}, ${endpoint}`}
                  fileName={`selection-${selRun.featureSet}-${endpoint}`}
                  height={380}
                  testId="selection-chart"
                />
              </div>
            )}
          </section>
          <RegisterPanel experimentId={e.id} featureSets={groups.map((g) => g.featureSet)} endpoints={endpoints} />
        </>
      )}
    </article>
  );
}
