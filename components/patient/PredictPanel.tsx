"use client";

import { StoreToPacsButton } from "@/components/pacs/StoreToPacsButton";
import { useEffect, useRef, useState } from "react";
import { ApiError, fetchJson } from "@/lib/api/fetch-json";
import { predictionResponse } from "@/lib/api/schemas";
import type { PredictionResult } from "@/lib/pipeline/predict";
import { CalibrationNote } from "./CalibrationNote";
import { PredictionInputs } from "./PredictionInputs";
import { SimilarCases } from "./SimilarCases";

/** What the predict route answers (type only: nothing of the server module reaches the browser bundle). */
export type PredictionView = Pick<
  PredictionResult,
  "predictionId" | "createdAt" | "model" | "endpoints" | "warnings" | "inputsUsed"
> &
  Partial<Pick<PredictionResult, "similarCases" | "acquisition">> & {
    timings?: { totalMs: number };
    /** Inputs changed since the prediction (empty or absent: current). */
    outdated?: string[];
  };

const ENDPOINT_LABEL = {
  pcr: "Pathologic complete response (pCR)",
  response: "Response (≥ 30% size reduction)",
} as const;
const pct = (p: number) => `${(100 * p).toFixed(0)}%`;

/** Predict button, progress while features are computed, and both probabilities with spread, explanation, warnings. */
export function PredictPanel(props: {
  patientId: string;
  canPredict: boolean;
  initial: PredictionView | null;
  /** configured PACS the user may store predictions to */ pacsName?: string | null;
}) {
  const [result, setResult] = useState<PredictionView | null>(props.initial);
  const [running, setRunning] = useState(false);
  const [elapsed, setElapsed] = useState(0);
  const [error, setError] = useState<string | null>(null);
  // Required inputs the patient lacks: the user must confirm ("Predict anyway") before a prediction is made.
  const [missingInputs, setMissingInputs] = useState<string[] | null>(null);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  useEffect(() => () => void (timer.current && clearInterval(timer.current)), []);

  async function predict(anyway = false) {
    setRunning(true);
    setError(null);
    setMissingInputs(null);
    const t0 = Date.now();
    timer.current = setInterval(() => setElapsed((Date.now() - t0) / 1000), 200);
    try {
      setResult(
        await fetchJson(
          `/api/patients/${props.patientId}/predict${anyway ? "?predictAnyway=1" : ""}`,
          predictionResponse,
          { method: "POST" },
          "prediction",
        ),
      );
    } catch (e) {
      // Required inputs are missing: the user confirms ("Predict anyway") or completes them.
      if (e instanceof ApiError && e.code === "PREDICTION_INCOMPLETE")
        return setMissingInputs((e.details as { incomplete?: string[] } | undefined)?.incomplete ?? [e.message]);
      setError((e as Error).message);
    } finally {
      if (timer.current) clearInterval(timer.current);
      setRunning(false);
    }
  }

  return (
    <section
      className="flex flex-col gap-2 rounded border border-room-700 bg-room-900 p-3"
      aria-label="Prediction"
      data-testid="predict-panel"
    >
      <div className="flex items-center justify-between">
        <h2 className="font-semibold">Prediction</h2>
        {props.canPredict && (
          <button
            type="button"
            onClick={() => predict()}
            disabled={running}
            className="rounded bg-accent-400 px-3 py-1 text-sm font-semibold text-room-950 disabled:opacity-50"
          >
            {running ? "Predicting…" : "Predict"}
          </button>
        )}
      </div>
      {running && (
        <p role="status" data-testid="predict-progress" className="flex items-center gap-2 text-sm text-ink-300">
          <progress className="h-1 w-24" /> computing features and predicting… {elapsed.toFixed(1)} s
        </p>
      )}
      {error && (
        <p role="alert" data-testid="predict-error" className="text-sm text-danger-400">
          {error}
        </p>
      )}
      {missingInputs && (
        <div
          role="alert"
          data-testid="predict-incomplete-confirm"
          className="flex flex-col gap-1 rounded border border-danger-400 p-2 text-sm"
        >
          <p>
            <b>Inputs the model needs are missing</b>: {missingInputs.join("; ")}.
          </p>
          <p className="text-xs text-ink-300">
            A prediction without them uses training medians in their place: it is not this patient&apos;s full picture
            and is shown as incomplete.
          </p>
          <button
            type="button"
            onClick={() => predict(true)}
            className="self-start rounded border border-danger-400 px-2 py-0.5 text-danger-400"
          >
            Predict anyway
          </button>
        </div>
      )}
      {!result && !running && <p className="text-sm text-ink-500">No prediction yet.</p>}
      {result && (
        <div className="flex flex-col gap-3" data-testid="predict-result">
          <p className="text-xs text-ink-300" data-testid="model-version">
            Model {result.model.name} · version <span data-testid="model-version-number">{result.model.version}</span>
            {result.model.isDemo && (
              <span className="ml-2 rounded bg-warn-400 px-1 font-semibold text-room-950">{result.model.label}</span>
            )}{" "}
            ·{" "}
            <a href="/model-card" className="text-accent-400 hover:underline">
              model card
            </a>
          </p>
          {!!result.inputsUsed?.incomplete.length && (
            <p
              role="alert"
              data-testid="prediction-incomplete"
              className="rounded border border-danger-400 px-2 py-1 text-sm text-danger-400"
            >
              <b>Incomplete prediction</b>: {result.inputsUsed.incomplete.join("; ")}. The probabilities below stand in
              training medians for what is missing.
            </p>
          )}
          {(["pcr", "response"] as const).map((ep) => {
            const r = result.endpoints[ep];
            const incomplete = !!result.inputsUsed?.incomplete.length;
            const own = r.contributions.filter((c) => c.input !== null);
            const imputed = r.contributions.filter((c) => c.input === null);
            return (
              <div key={ep} className="flex flex-col gap-1" data-testid={`endpoint-${ep}`}>
                <div className="flex items-baseline justify-between">
                  <span className="text-sm text-ink-300">{ENDPOINT_LABEL[ep]}</span>
                  <span
                    className={`text-2xl font-semibold ${incomplete ? "text-ink-500" : ""}`}
                    data-testid={`probability-${ep}`}
                    data-incomplete={incomplete || undefined}
                    title="final model (trained on all training patients)"
                  >
                    {pct(r.probability)}
                  </span>
                </div>
                <div className="relative h-2 rounded bg-room-700" title="range across the partition models">
                  <div
                    className="absolute h-2 rounded bg-accent-400/40"
                    style={{ left: pct(r.spread.min), width: pct(Math.max(0.005, r.spread.max - r.spread.min)) }}
                  />
                  <div className="absolute h-2 w-0.5 bg-ink-100" style={{ left: pct(r.probability) }} />
                </div>
                <p className="text-xs text-ink-500" data-testid={`spread-${ep}`}>
                  spread across {r.spread.n} partition models: {pct(r.spread.mean)} ± {(100 * r.spread.sd).toFixed(1)}{" "}
                  points (range {pct(r.spread.min)}–{pct(r.spread.max)})
                </p>
                <CalibrationNote
                  endpoint={ep}
                  calibration={r.calibration}
                  uncalibratedProbability={r.uncalibratedProbability}
                />
                <ul className="text-xs text-ink-300" data-testid={`explanation-${ep}`}>
                  {own.slice(0, 5).map((c) => (
                    <li key={c.feature} className={c.value >= 0 ? "text-ok-400" : "text-danger-400"}>
                      {c.words}
                    </li>
                  ))}
                </ul>
                {imputed.length > 0 && (
                  <div className="text-xs text-ink-500" data-testid={`imputed-${ep}`}>
                    <p className="font-semibold">Imputed inputs — not this patient&apos;s values:</p>
                    <ul>
                      {imputed.map((c) => (
                        <li key={c.feature}>{c.words}</li>
                      ))}
                    </ul>
                  </div>
                )}
              </div>
            );
          })}
          <p className="text-xs text-ink-500" data-testid="headline-explained">
            The large number is the final model, trained on all training patients. The spread is that of the partition
            models, each trained on one training split and tested on the rest: their mean can differ from the final
            model.
          </p>
          <PredictionInputs
            key={result.predictionId}
            predictionId={result.predictionId}
            used={result.inputsUsed}
            initialOutdated={result.outdated ?? []}
          />
          {result.warnings.length > 0 && (
            <ul className="list-disc pl-4 text-xs text-warn-400" data-testid="predict-warnings">
              {result.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
          {result.acquisition && !result.acquisition.checked && (
            <p className="text-xs text-ink-500" data-testid="acquisition-unchecked">
              Acquisition check not done: {result.acquisition.reason}.
            </p>
          )}
          <SimilarCases cases={result.similarCases} />
          <div className="flex gap-2 text-sm">
            <a
              href={`/patients/${props.patientId}/report/${result.predictionId}`}
              className="rounded border border-room-600 px-2 py-1 hover:bg-room-700"
            >
              Tumour-board report
            </a>
            <a
              href={`/api/predictions/${result.predictionId}/report`}
              data-testid="report-pdf"
              className="rounded border border-room-600 px-2 py-1 hover:bg-room-700"
            >
              Download PDF
            </a>
            <a
              href={`/api/predictions/${result.predictionId}/sr`}
              data-testid="report-sr"
              className="rounded border border-room-600 px-2 py-1 hover:bg-room-700"
              title="DICOM Structured Report (TID 1500)"
            >
              Download DICOM SR
            </a>
            {props.pacsName && (
              <StoreToPacsButton
                key={result.predictionId}
                url={`/api/predictions/${result.predictionId}/sr`}
                label="Store in PACS"
                pacsName={props.pacsName}
                testId="prediction-store-pacs"
                describe={(b) => {
                  const r = b as { sr: { alreadyStored: boolean; sourceName: string }; segs: unknown[] };
                  return r.sr.alreadyStored
                    ? `already in ${r.sr.sourceName}`
                    : `stored in ${r.sr.sourceName}: DICOM SR + ${r.segs.length} SEG`;
                }}
              />
            )}
          </div>
          <p className="text-xs text-ink-500">
            Contributions are TreeSHAP values on the log-odds scale of the final model. Research use only.
          </p>
        </div>
      )}
    </section>
  );
}
