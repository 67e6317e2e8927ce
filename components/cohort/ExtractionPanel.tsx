"use client";

import { useCallback, useEffect, useState } from "react";
import type { ExtractionProgress } from "@/lib/pipeline/cohort/extraction";
import { roleLabel } from "@/lib/imaging/series/roles";

export type Progress = Omit<ExtractionProgress, "cohort" | "createdAt">;

const EXTRACTORS = [
  { id: "handcrafted", label: "Handcrafted (pyradiomics defaults, 107 features)" },
  { id: "resnet10", label: "ResNet10" },
  { id: "resnet18", label: "ResNet18" },
  { id: "resnet34", label: "ResNet34" },
  { id: "resnet50", label: "ResNet50" },
];

function duration(s: number): string {
  return s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min` : s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/** Start an extraction, watch it live (done/total, rate, ETA, failures with reasons), retry failed items, download the table. */
export function ExtractionPanel({ cohortId, latestExtractionId }: { cohortId: string; latestExtractionId: string | null }) {
  const [chosen, setChosen] = useState<string[]>(["handcrafted"]);
  const [extractionId, setExtractionId] = useState(latestExtractionId);
  const [p, setP] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);

  const poll = useCallback(async (id: string) => {
    const r = await fetch(`/api/extractions/${id}`);
    const j = await r.json();
    if (r.ok) setP(j.progress);
    else setError(j.error?.message ?? `HTTP ${r.status}`);
  }, []);

  useEffect(() => {
    if (!extractionId) return;
    const first = setTimeout(() => void poll(extractionId), 0);
    const t = setInterval(() => void poll(extractionId), 1000);
    return () => {
      clearTimeout(first);
      clearInterval(t);
    };
  }, [extractionId, poll]);

  async function start() {
    setError(null);
    const r = await fetch(`/api/cohorts/${cohortId}/extractions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ extractors: chosen }) });
    const j = await r.json();
    if (!r.ok) return setError(j.error?.message ?? `HTTP ${r.status}`);
    setExtractionId(j.extractionId);
  }

  async function retry() {
    if (!extractionId) return;
    await fetch(`/api/extractions/${extractionId}/retry`, { method: "POST" });
    void poll(extractionId);
  }

  const finished = p ? p.done + p.failed + p.absent : 0;
  const pct = p && p.total ? Math.round((finished / p.total) * 1000) / 10 : 0;
  return (
    <section className="flex max-w-5xl flex-col gap-3 rounded border border-room-700 p-3" data-testid="extraction-panel">
      <h2 className="font-semibold">Feature extraction</h2>
      <div className="flex flex-wrap items-center gap-4 text-sm">
        {EXTRACTORS.map((e) => (
          <label key={e.id} className="flex items-center gap-1">
            <input type="checkbox" checked={chosen.includes(e.id)} onChange={(ev) => setChosen(ev.target.checked ? [...chosen, e.id] : chosen.filter((x) => x !== e.id))} data-testid={`extractor-${e.id}`} />
            {e.label}
          </label>
        ))}
        <button className="rounded bg-accent-400 px-3 py-1 font-semibold text-room-950 disabled:opacity-50" disabled={!chosen.length} onClick={start} data-testid="start-extraction">
          Extract
        </button>
      </div>
      <p className="text-xs text-ink-500">One job per patient × series (CE-T1, T2, CT) × region (tumour, peritumoral shell) × extractor; results already computed are taken from the cache.</p>
      {error && (
        <p className="text-danger-400" role="alert">
          {error}
        </p>
      )}
      {p && (
        <div className="flex flex-col gap-2" data-testid="extraction-progress">
          <div className="h-4 w-full overflow-hidden rounded bg-room-700" role="progressbar" aria-valuemin={0} aria-valuemax={p.total} aria-valuenow={finished} aria-label="extraction progress">
            <div className="h-4 bg-accent-400 transition-all" style={{ width: `${pct}%` }} data-testid="progress-fill" />
          </div>
          <p className="text-sm" data-testid="progress-text">
            {finished} / {p.total} items ({pct} %) · {p.cached} from cache · {p.running} running · {p.queued} queued · {p.absent} without series/ROI · <span className={p.failed ? "text-danger-400" : ""}>{p.failed} failed</span> ·{" "}
            {p.ratePerMinute === null ? "rate —" : `${p.ratePerMinute.toFixed(1)} items/min`} · {p.etaSeconds === null ? "ETA —" : finished === p.total ? "finished" : `ETA ${duration(p.etaSeconds)}`}
          </p>
          <p className="text-xs text-ink-500">Extractors: {p.extractors.join(", ")}</p>
          {p.failures.length > 0 && (
            <div className="flex flex-col gap-1" data-testid="failures">
              <div className="flex items-center gap-3">
                <b>Failures</b>
                <button className="rounded bg-room-700 px-2 py-0.5 text-sm" onClick={retry} data-testid="retry-failed">
                  Retry failed
                </button>
              </div>
              <ul className="text-sm">
                {p.failures.map((f) => (
                  <li key={f.itemId}>
                    {f.patientKey} · {roleLabel(f.role)} {f.region === "intra" ? "tumour" : "shell"} · {f.extractor}: {f.error}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {finished === p.total && p.total > 0 && (
            <a className="text-accent-400 underline" href={`/api/extractions/${p.extractionId}/features`} data-testid="download-features">
              Download the feature table (CSV)
            </a>
          )}
        </div>
      )}
    </section>
  );
}
