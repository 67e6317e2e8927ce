"use client";

import { useState } from "react";
import { fetchJson } from "@/lib/api/fetch-json";
import { predictionVerifyResponse } from "@/lib/api/schemas";

/** Admin: recompute this prediction from its stored inputs and say whether it is bit-for-bit identical (replay). */
export function VerifyPredictionButton({ predictionId }: { predictionId: string }) {
  const [state, setState] = useState<{ running: boolean; text: string | null; ok: boolean | null }>({
    running: false,
    text: null,
    ok: null,
  });
  async function verify() {
    setState({ running: true, text: null, ok: null });
    let body;
    try {
      body = await fetchJson(
        `/api/predictions/${predictionId}/verify`,
        predictionVerifyResponse,
        { method: "POST" },
        "verification",
      );
    } catch (e) {
      return setState({ running: false, text: (e as Error).message, ok: false });
    }
    setState({
      running: false,
      ok: body.identical,
      text: body.identical
        ? `identical: recomputed bit for bit from the stored inputs (${body.compared.length} checks)`
        : `differs: ${body.firstDifference}`,
    });
  }
  return (
    <span className="flex items-center gap-2">
      <button
        type="button"
        onClick={verify}
        disabled={state.running}
        className="rounded border px-2 py-1 disabled:opacity-50"
        data-testid="verify-prediction"
      >
        {state.running ? "Recomputing…" : "Verify (replay)"}
      </button>
      {state.text && (
        <span role="status" data-testid="verify-result" className={state.ok ? "text-green-800" : "text-red-800"}>
          {state.text}
        </span>
      )}
    </span>
  );
}
