"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { z } from "zod";
import { fetchJson, jsonBody } from "@/lib/api/fetch-json";
import { experimentStartedResponse, tableUploadResponse } from "@/lib/api/schemas";
import { extractorLabel } from "@/lib/cohort/extractor-labels";
import { CheckboxGroup } from "../forms/CheckboxGroup";

type Upload = z.infer<typeof tableUploadResponse>;

const MODALITY_OPTIONS = [
  { value: "all", label: "CE-T1 + T2 + CT" },
  { value: "CE_T1", label: "CE-T1" },
  { value: "T2", label: "T2" },
  { value: "CT", label: "CT" },
];
const REGION_OPTIONS = [
  { value: "both", label: "tumour + shell" },
  { value: "intra", label: "tumour" },
  { value: "peri", label: "shell" },
];

/** Upload a feature table, choose the comparison (grid of feature sets, endpoints, protocol settings), start it. */
export function NewExperimentForm() {
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [table, setTable] = useState<Upload | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState("Handcrafted vs ResNet10/18/34/50, ± clinical");
  const [extractors, setExtractors] = useState<string[]>([]);
  const [modalities, setModalities] = useState<string[]>(["all"]);
  const [regions, setRegions] = useState<string[]>(["both"]);
  const [clinical, setClinical] = useState<string[]>(["without", "with"]);
  const [endpoints, setEndpoints] = useState<string[]>([]);
  const [partitions, setPartitions] = useState(10);
  const [trainFraction, setTrainFraction] = useState(0.8);
  const [seed, setSeed] = useState(42);
  const [k, setK] = useState(50);
  const [rfe, setRfe] = useState(10);
  const [rounds, setRounds] = useState(100);

  const upload = async (f: File) => {
    setFile(f);
    setError(null);
    setTable(null);
    setBusy(true);
    let j: Upload;
    try {
      j = await fetchJson(
        "/api/experiments/tables",
        tableUploadResponse,
        { method: "POST", headers: { "content-type": "text/csv" }, body: f },
        "upload",
      );
    } catch (e) {
      return setError((e as Error).message);
    } finally {
      setBusy(false);
    }
    setTable(j);
    setExtractors(j.summary.offers.extractors.map((e) => e.extractor));
    setEndpoints(Object.keys(j.summary.outcomes));
  };

  const start = async () => {
    if (!table) return;
    setBusy(true);
    setError(null);
    const config = {
      name,
      endpoints,
      grid: { extractors, modalities, regions, clinical: clinical.map((c) => c === "with") },
      protocol: {
        partitions,
        trainFraction,
        seed,
        mrmr: { k },
        rfe: { mode: "count", nFeatures: rfe },
        classifier: { type: "xgboost", params: { num_boost_round: rounds } },
      },
    };
    try {
      const j = await fetchJson(
        "/api/experiments",
        experimentStartedResponse,
        jsonBody("POST", { tableSha256: table.sha256, fileName: file?.name, config }),
        "starting the experiment",
      );
      router.push(`/experiments/${j.experimentId}`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const num = (v: number, set: (n: number) => void, label: string, step = 1, testId?: string) => (
    <label className="flex items-center gap-1">
      {label}
      <input
        type="number"
        value={v}
        step={step}
        onChange={(ev) => set(Number(ev.target.value))}
        className="w-20 rounded bg-room-800 px-1"
        data-testid={testId}
      />
    </label>
  );

  return (
    <section
      className="flex flex-col gap-3 rounded border border-room-700 bg-room-900 p-3"
      data-testid="new-experiment"
    >
      <h2 className="font-semibold">New experiment</h2>
      <label className="text-sm">
        Feature table (CSV: <code>patient_id</code>, <code>ROLE.region.feature</code> columns, <code>clinical.*</code>,{" "}
        <code>pCR</code>, <code>response</code>){" "}
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={(ev) => ev.target.files?.[0] && upload(ev.target.files[0])}
          data-testid="table-file"
        />
      </label>
      {busy && !table && <p className="text-sm text-ink-300">Checking the table…</p>}
      {table && (
        <div className="flex flex-col gap-2 text-sm" data-testid="table-summary">
          <p>
            {table.summary.rows} patients, {table.summary.columns} feature columns (sha256 {table.sha256.slice(0, 12)}
            …). Outcomes:{" "}
            {Object.entries(table.summary.outcomes)
              .map(
                ([o, c]) =>
                  `${o} ${c.positive} positive / ${c.negative} negative${c.unknown ? ` / ${c.unknown} unknown` : ""}`,
              )
              .join("; ")}
            . Clinical columns: {table.summary.offers.clinical}.
          </p>
          <label className="flex items-center gap-2">
            Name{" "}
            <input value={name} onChange={(ev) => setName(ev.target.value)} className="w-96 rounded bg-room-800 px-1" />
          </label>
          <CheckboxGroup
            label="Features"
            options={table.summary.offers.extractors.map((e) => ({
              value: e.extractor,
              label: `${extractorLabel(e.extractor)} (${e.count})`,
              title: `${e.count} columns; ${e.modalities.join(", ")}; ${e.regions.join(", ")}`,
            }))}
            selected={extractors}
            onChange={setExtractors}
          />
          <CheckboxGroup label="Modalities" options={MODALITY_OPTIONS} selected={modalities} onChange={setModalities} />
          <CheckboxGroup label="Regions" options={REGION_OPTIONS} selected={regions} onChange={setRegions} />
          <CheckboxGroup
            label="Clinical variables"
            options={["without", "with"].map((c) => ({ value: c, label: c }))}
            selected={clinical}
            onChange={setClinical}
          />
          <CheckboxGroup
            label="Endpoints"
            options={Object.keys(table.summary.outcomes).map((o) => ({
              value: o,
              label: o === "pCR" ? "pCR" : "response (≥ 30 % size reduction)",
            }))}
            selected={endpoints}
            onChange={setEndpoints}
          />
          <fieldset className="flex flex-wrap gap-3">
            <legend className="text-ink-500">
              Protocol (mRMR then RFE, XGBoost; threshold = each endpoint&apos;s prevalence)
            </legend>
            {num(partitions, setPartitions, "partitions", 1, "partitions")}
            {num(trainFraction, setTrainFraction, "train fraction", 0.05)}
            {num(seed, setSeed, "seed")}
            {num(k, setK, "mRMR k")}
            {num(rfe, setRfe, "RFE to")}
            {num(rounds, setRounds, "XGBoost rounds", 10, "rounds")}
          </fieldset>
          <div>
            <button
              type="button"
              onClick={start}
              disabled={busy || !extractors.length || !endpoints.length}
              className="rounded bg-accent-400 px-3 py-1 font-semibold text-room-950 disabled:opacity-50"
              data-testid="start-experiment"
            >
              Run experiment
            </button>
          </div>
        </div>
      )}
      {error && (
        <p role="alert" className="text-sm text-danger-400" data-testid="experiment-error">
          {error}
        </p>
      )}
    </section>
  );
}
