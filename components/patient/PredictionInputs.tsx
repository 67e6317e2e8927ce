"use client";

import { useEffect, useState } from "react";
import { fetchJson } from "@/lib/api/fetch-json";
import { predictionStatusResponse } from "@/lib/api/schemas";
import type { InputsUsed } from "@/lib/pipeline/predict";

/**
 * What a prediction used: ROI version per series with the tumour's volume and longest diameter, the
 * clinical record version with its values; and "outdated" when an input changed since (re-checked on focus and every
 * 10 s, so a new ROI or clinical version saved on this page marks it without a reload).
 */
export function PredictionInputs({
  predictionId,
  used,
  initialOutdated,
}: {
  predictionId: string;
  used: InputsUsed | undefined;
  initialOutdated: string[];
}) {
  const [outdated, setOutdated] = useState(initialOutdated);
  useEffect(() => {
    let live = true;
    const check = async () => {
      // a failed check keeps what is shown: the next one (focus, 10 s) tries again
      const body = await fetchJson(`/api/predictions/${predictionId}/status`, predictionStatusResponse).catch(
        () => null,
      );
      if (body && live) setOutdated(body.changes);
    };
    const timer = setInterval(check, 10_000);
    window.addEventListener("focus", check);
    return () => {
      live = false;
      clearInterval(timer);
      window.removeEventListener("focus", check);
    };
  }, [predictionId]);

  return (
    <div className="flex flex-col gap-1 text-xs">
      {outdated.length > 0 && (
        <p
          role="alert"
          data-testid="prediction-outdated"
          className="rounded border border-warn-400 px-2 py-1 text-warn-400"
        >
          <b>Outdated</b>: {outdated.join("; ")}. Predict again for the current inputs.
        </p>
      )}
      {used && (
        <div data-testid="predict-inputs-used" className="text-ink-300">
          <p className="font-semibold text-ink-100">This prediction used</p>
          <ul>
            {used.series.map((s) => (
              <li key={s.role} data-testid={`used-series-${s.label}`}>
                {s.label}:{" "}
                {s.absent ? (
                  <span className="text-warn-400">{s.absent}</span>
                ) : (
                  <>
                    ROI version {s.roiVersion} · {s.volumeMl!.toFixed(1)} mL · longest diameter{" "}
                    {s.longestDiameterMm!.toFixed(0)} mm
                  </>
                )}
              </li>
            ))}
            <li data-testid="used-clinical">
              {used.clinical ? (
                <>
                  Clinical record version {used.clinical.version}:{" "}
                  {used.clinical.variables
                    .map((v) => (v.missing ? `${v.words}: missing (${v.missing})` : v.words))
                    .join(", ")}
                </>
              ) : (
                <span className="text-warn-400">
                  no clinical record ({used.clinicalVariables.length} clinical variables imputed with the training
                  median)
                </span>
              )}
            </li>
          </ul>
        </div>
      )}
    </div>
  );
}
