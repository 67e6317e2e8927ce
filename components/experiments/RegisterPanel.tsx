"use client";
import { useState } from "react";
import { fetchJson, jsonBody } from "@/lib/api/fetch-json";
import { modelRegisteredResponse } from "@/lib/api/schemas";

/** Register a feature set of the experiment as a model bundle (needs both endpoints); an administrator activates it. */
export function RegisterPanel({
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
