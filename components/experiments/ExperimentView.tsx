"use client";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { fetchJson, jsonBody } from "@/lib/api/fetch-json";
import { experimentStatusResponse, modelRegisteredResponse } from "@/lib/api/schemas";
import { formatMetric, runsBySet, TABLE_METRICS } from "@/lib/experiments/report";
import type { ExperimentRun } from "@/lib/experiments/run-experiment";
import type { StoredExperiment } from "@/lib/pipeline/experiment/experiments";
import { EChart } from "./EChart";
import { calibrationOption, rocOption, selectionOption } from "./charts";

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
              resampled t, approximate because partitions share patients]. Balanced accuracy, sensitivity and
              specificity in %, at each endpoint&apos;s threshold. ★ best mean balanced accuracy per endpoint.
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
                      <th
                        key={ep}
                        colSpan={TABLE_METRICS.length + 1}
                        className="border-l border-room-700 px-2 text-left"
                      >
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

function RegisterPanel({
  experimentId,
  featureSets,
  endpoints,
}: {
  experimentId: string;
  featureSets: string[];
  endpoints: string[];
}) {
  const [featureSet, setFeatureSet] = useState(featureSets[0] ?? "");
  const [demo, setDemo] = useState(false);
  const [allowSimilarCases, setAllowSimilarCases] = useState(false);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const both = endpoints.includes("pCR") && endpoints.includes("response");
  const register = async () => {
    setBusy(true);
    setMsg(null);
    try {
      const j = await fetchJson(
        `/api/experiments/${experimentId}/register`,
        modelRegisteredResponse,
        jsonBody("POST", { featureSet, demo, allowSimilarCases }),
        "registration",
      );
      setMsg({
        ok: true,
        text: `Registered ${j.bundleId} version ${j.version}. An administrator activates it under Models.`,
      });
    } catch (e) {
      setMsg({ ok: false, text: (e as Error).message });
    }
    setBusy(false);
  };
  return (
    <section
      className="flex flex-col gap-2 rounded border border-room-700 bg-room-900 p-3"
      data-testid="register-panel"
    >
      <h2 className="font-semibold">Register as a model</h2>
      {!both ? (
        <p className="text-sm text-ink-500">
          A model bundle needs both endpoints (pCR and response); this experiment ran {endpoints.join(", ")}.
        </p>
      ) : (
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <select
            value={featureSet}
            onChange={(ev) => setFeatureSet(ev.target.value)}
            className="rounded bg-room-800 px-1"
            data-testid="register-feature-set"
          >
            {featureSets.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
          <label className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={demo}
              onChange={(ev) => setDemo(ev.target.checked)}
              data-testid="register-demo"
            />{" "}
            trained on synthetic / demonstration data
          </label>
          <label
            className="flex items-center gap-1"
            title="The bundle then carries the training patients' selected feature values and outcomes, without names or identifiers, so that Predict can show similar cases. Off unless the site allows it."
          >
            <input
              type="checkbox"
              checked={allowSimilarCases}
              onChange={(ev) => setAllowSimilarCases(ev.target.checked)}
              data-testid="register-similar-cases"
            />{" "}
            allow similar cases (de-identified training cases in the bundle)
          </label>
          <button
            type="button"
            onClick={register}
            disabled={busy}
            className="rounded bg-accent-400 px-3 py-1 font-semibold text-room-950 disabled:opacity-50"
            data-testid="register-button"
          >
            {busy ? "Fitting the final model…" : "Register model"}
          </button>
        </div>
      )}
      {msg && (
        <p
          role={msg.ok ? "status" : "alert"}
          className={`text-sm ${msg.ok ? "text-ok-400" : "text-danger-400"}`}
          data-testid="register-result"
        >
          {msg.text}
        </p>
      )}
    </section>
  );
}
