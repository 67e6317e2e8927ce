"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";

type Offers = {
  extractors: { extractor: string; count: number; modalities: string[]; regions: string[] }[];
  clinical: number;
  other: number;
};
type Summary = {
  rows: number;
  columns: number;
  outcomes: Record<string, { positive: number; negative: number; unknown: number }>;
  offers: Offers;
};

const EXTRACTOR_WORDS: Record<string, string> = {
  handcrafted: "Handcrafted radiomics",
  resnet10: "ResNet10",
  resnet18: "ResNet18",
  resnet34: "ResNet34",
  resnet50: "ResNet50",
};
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

function toggle(list: string[], v: string, on: boolean) {
  return on ? [...new Set([...list, v])] : list.filter((x) => x !== v);
}

/** Upload a feature table, choose the comparison (grid of feature sets, endpoints, protocol settings), start it. */
export function NewExperimentForm() {
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [table, setTable] = useState<{ sha256: string; summary: Summary } | null>(null);
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
    const r = await fetch("/api/experiments/tables", {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: f,
    });
    const j = await r.json();
    setBusy(false);
    if (!r.ok) return setError(j.error?.message ?? "upload failed");
    setTable(j);
    setExtractors((j.summary as Summary).offers.extractors.map((e) => e.extractor));
    setEndpoints(Object.keys((j.summary as Summary).outcomes));
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
    const r = await fetch("/api/experiments", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tableSha256: table.sha256, fileName: file?.name, config }),
    });
    const j = await r.json();
    setBusy(false);
    if (!r.ok) return setError(j.error?.message ?? "could not start the experiment");
    router.push(`/experiments/${j.experimentId}`);
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
          <fieldset className="flex flex-wrap gap-3">
            <legend className="text-ink-500">Features</legend>
            {table.summary.offers.extractors.map((e) => (
              <label
                key={e.extractor}
                className="flex items-center gap-1"
                title={`${e.count} columns; ${e.modalities.join(", ")}; ${e.regions.join(", ")}`}
              >
                <input
                  type="checkbox"
                  checked={extractors.includes(e.extractor)}
                  onChange={(ev) => setExtractors(toggle(extractors, e.extractor, ev.target.checked))}
                />
                {EXTRACTOR_WORDS[e.extractor]} ({e.count})
              </label>
            ))}
          </fieldset>
          <fieldset className="flex flex-wrap gap-3">
            <legend className="text-ink-500">Modalities</legend>
            {MODALITY_OPTIONS.map((m) => (
              <label key={m.value} className="flex items-center gap-1">
                <input
                  type="checkbox"
                  checked={modalities.includes(m.value)}
                  onChange={(ev) => setModalities(toggle(modalities, m.value, ev.target.checked))}
                />
                {m.label}
              </label>
            ))}
          </fieldset>
          <fieldset className="flex flex-wrap gap-3">
            <legend className="text-ink-500">Regions</legend>
            {REGION_OPTIONS.map((m) => (
              <label key={m.value} className="flex items-center gap-1">
                <input
                  type="checkbox"
                  checked={regions.includes(m.value)}
                  onChange={(ev) => setRegions(toggle(regions, m.value, ev.target.checked))}
                />
                {m.label}
              </label>
            ))}
          </fieldset>
          <fieldset className="flex flex-wrap gap-3">
            <legend className="text-ink-500">Clinical variables</legend>
            {["without", "with"].map((c) => (
              <label key={c} className="flex items-center gap-1">
                <input
                  type="checkbox"
                  checked={clinical.includes(c)}
                  onChange={(ev) => setClinical(toggle(clinical, c, ev.target.checked))}
                />
                {c}
              </label>
            ))}
          </fieldset>
          <fieldset className="flex flex-wrap gap-3">
            <legend className="text-ink-500">Endpoints</legend>
            {Object.keys(table.summary.outcomes).map((o) => (
              <label key={o} className="flex items-center gap-1">
                <input
                  type="checkbox"
                  checked={endpoints.includes(o)}
                  onChange={(ev) => setEndpoints(toggle(endpoints, o, ev.target.checked))}
                />
                {o === "pCR" ? "pCR" : "response (≥ 30 % size reduction)"}
              </label>
            ))}
          </fieldset>
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
