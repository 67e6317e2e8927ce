"use client";

import { useCallback, useEffect, useState } from "react";
import type { z } from "zod";
import { fetchJson, jsonBody } from "@/lib/api/fetch-json";
import { extractionProgressResponse, extractionStartedResponse, objectResponse } from "@/lib/api/schemas";
import { EXTRACTOR_LABELS } from "@/lib/cohort/extractor-labels";
import { IMAGE_ROLES, roleLabel } from "@/lib/imaging/series/roles";
import { CheckboxGroup } from "../forms/CheckboxGroup";
import { SelectField } from "../forms/SelectField";

export type Progress = z.infer<typeof extractionProgressResponse>["progress"];

const EXTRACTORS = Object.entries(EXTRACTOR_LABELS).map(([value, label]) => ({ value, label }));
const ROLES = IMAGE_ROLES.map((value) => ({ value, label: roleLabel(value) }));
const REGIONS = [
  { value: "intra", label: "Tumour" },
  { value: "peri", label: "Peritumoral shell" },
];
const SHELL_MODES = [
  { id: "surface-volume-matched", label: "from the tumour surface, volume-matched (default)" },
  { id: "surface", label: "from the tumour surface" },
  { id: "centres", label: "from tumour voxel centres (dilation)" },
];
const HANDCRAFTED = [
  { id: "pyradiomics", label: "pyradiomics defaults (the paper's 107 features)" },
  { id: "ibsi", label: "IBSI settings (32 bins, all IBSI families)" },
  { id: "pyradiomics-params", label: "pyradiomics parameter file…" },
];

function duration(s: number): string {
  return s >= 3600
    ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`
    : s >= 60
      ? `${Math.floor(s / 60)} min ${s % 60} s`
      : `${s} s`;
}

/** Start an extraction, watch it live (done/total, rate, ETA, failures with reasons), retry failed items, download the table. */
export function ExtractionPanel({
  cohortId,
  latestExtractionId,
  periMarginMm,
  periShellMode,
}: {
  cohortId: string;
  latestExtractionId: string | null;
  periMarginMm: number;
  periShellMode: string;
}) {
  const [chosen, setChosen] = useState<string[]>(["handcrafted"]);
  const [roles, setRoles] = useState<string[]>(ROLES.map((r) => r.value));
  const [regions, setRegions] = useState<string[]>(REGIONS.map((r) => r.value));
  const [margin, setMargin] = useState(String(periMarginMm));
  const [shellMode, setShellMode] = useState(periShellMode);
  const [handcrafted, setHandcrafted] = useState("pyradiomics");
  const [params, setParams] = useState<{ name: string; text: string } | null>(null);
  const [deepInput, setDeepInput] = useState("64");
  const [extractionId, setExtractionId] = useState(latestExtractionId);
  const [p, setP] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);

  const poll = useCallback(async (id: string) => {
    try {
      setP((await fetchJson(`/api/extractions/${id}`, extractionProgressResponse, undefined, "progress")).progress);
    } catch (e) {
      setError((e as Error).message);
    }
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
    if (handcrafted === "pyradiomics-params" && chosen.includes("handcrafted") && !params)
      return setError("choose a pyradiomics parameter file (.yaml)");
    const body = {
      extractors: chosen,
      roles,
      regions,
      ...(regions.includes("peri") ? { periMarginMm: Number(margin), periShellMode: shellMode } : {}),
      ...(chosen.includes("handcrafted")
        ? {
            handcrafted:
              handcrafted === "pyradiomics-params"
                ? { mode: handcrafted, params: params!.text }
                : { mode: handcrafted },
          }
        : {}),
      ...(chosen.some((c) => c.startsWith("resnet")) ? { deepInputSize: Number(deepInput) } : {}),
    };
    try {
      const j = await fetchJson(
        `/api/cohorts/${cohortId}/extractions`,
        extractionStartedResponse,
        jsonBody("POST", body),
        "starting the extraction",
      );
      setExtractionId(j.extractionId);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function retry() {
    if (!extractionId) return;
    await fetchJson(`/api/extractions/${extractionId}/retry`, objectResponse, { method: "POST" }, "retry").catch((e) =>
      setError((e as Error).message),
    );
    void poll(extractionId);
  }

  const finished = p ? p.done + p.failed + p.absent : 0;
  const pct = p && p.total ? Math.round((finished / p.total) * 1000) / 10 : 0;
  return (
    <section
      className="flex max-w-5xl flex-col gap-3 rounded border border-room-700 p-3"
      data-testid="extraction-panel"
    >
      <h2 className="font-semibold">Feature extraction</h2>
      <CheckboxGroup
        inline
        options={EXTRACTORS}
        selected={chosen}
        onChange={setChosen}
        className="flex flex-wrap items-center gap-4 text-sm"
        testIdPrefix="extractor-"
      />
      <fieldset className="grid grid-cols-1 gap-2 text-sm md:grid-cols-2" data-testid="extraction-settings">
        <CheckboxGroup
          inline
          label="Series"
          options={ROLES}
          selected={roles}
          onChange={setRoles}
          testIdPrefix="role-"
        />
        <CheckboxGroup
          inline
          label="Regions"
          options={REGIONS}
          selected={regions}
          onChange={setRegions}
          testIdPrefix="region-"
        />
        <label className="flex items-center gap-2">
          <span className="text-ink-500">Shell margin (mm)</span>
          <input
            type="number"
            min={0.5}
            max={50}
            step={0.5}
            value={margin}
            disabled={!regions.includes("peri")}
            onChange={(e) => setMargin(e.target.value)}
            className="w-20 rounded border border-room-600 bg-room-800 px-2 py-0.5"
            data-testid="shell-margin"
          />
        </label>
        <SelectField
          label="Shell measured"
          value={shellMode}
          options={SHELL_MODES}
          onChange={setShellMode}
          disabled={!regions.includes("peri")}
          testId="shell-mode"
        />
        <SelectField
          label="Handcrafted settings"
          value={handcrafted}
          options={HANDCRAFTED}
          onChange={setHandcrafted}
          disabled={!chosen.includes("handcrafted")}
          testId="handcrafted-settings"
        />
        {handcrafted === "pyradiomics-params" && chosen.includes("handcrafted") && (
          <label className="flex items-center gap-2">
            <span className="text-ink-500">Parameter file</span>
            <input
              type="file"
              accept=".yaml,.yml,text/yaml"
              onChange={async (e) => {
                const f = e.target.files?.[0];
                setParams(f ? { name: f.name, text: await f.text() } : null);
              }}
              data-testid="params-file"
            />
          </label>
        )}
        <label className="flex items-center gap-2">
          <span className="text-ink-500">Encoder input (voxels per edge)</span>
          <input
            type="number"
            min={16}
            max={128}
            step={1}
            value={deepInput}
            disabled={!chosen.some((c) => c.startsWith("resnet"))}
            onChange={(e) => setDeepInput(e.target.value)}
            className="w-20 rounded border border-room-600 bg-room-800 px-2 py-0.5"
            data-testid="deep-input"
          />
        </label>
      </fieldset>
      <button
        className="self-start rounded bg-accent-400 px-3 py-1 font-semibold text-room-950 disabled:opacity-50"
        disabled={!chosen.length || !roles.length || !regions.length}
        onClick={start}
        data-testid="start-extraction"
      >
        Extract
      </button>
      <p className="text-xs text-ink-500">
        One job per patient × series × region × extractor; a worker computes a series&apos; jobs together (one load, one
        shell). Results already computed with the same settings are taken from the cache; the same settings again resume
        the earlier extraction.
      </p>
      {error && (
        <p className="text-danger-400" role="alert">
          {error}
        </p>
      )}
      {p && (
        <div className="flex flex-col gap-2" data-testid="extraction-progress">
          <div
            className="h-4 w-full overflow-hidden rounded bg-room-700"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={p.total}
            aria-valuenow={finished}
            aria-label="extraction progress"
          >
            <div
              className="h-4 bg-accent-400 transition-all"
              style={{ width: `${pct}%` }}
              data-testid="progress-fill"
            />
          </div>
          <p className="text-sm" data-testid="progress-text">
            {finished} / {p.total} items ({pct} %) · {p.cached} from cache · {p.running} running · {p.queued} queued ·{" "}
            {p.absent} without series/ROI · <span className={p.failed ? "text-danger-400" : ""}>{p.failed} failed</span>{" "}
            · {p.ratePerMinute === null ? "rate —" : `${p.ratePerMinute.toFixed(1)} items/min`} ·{" "}
            {p.etaSeconds === null ? "ETA —" : finished === p.total ? "finished" : `ETA ${duration(p.etaSeconds)}`}
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
                    {f.patientKey} · {roleLabel(f.role)} {f.region === "intra" ? "tumour" : "shell"} · {f.extractor}:{" "}
                    {f.error}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {finished === p.total && p.total > 0 && (
            <a
              className="text-accent-400 underline"
              href={`/api/extractions/${p.extractionId}/features`}
              data-testid="download-features"
            >
              Download the feature table (CSV)
            </a>
          )}
        </div>
      )}
    </section>
  );
}
