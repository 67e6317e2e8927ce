"use client";

import { useState } from "react";
import { fetchJson } from "@/lib/api/fetch-json";
import { objectResponse } from "@/lib/api/schemas";

/** POSTs one write-back (ROI SEG or prediction SR) to the PACS and says what happened, or why not, in words. */
export function StoreToPacsButton(props: {
  url: string;
  label: string;
  pacsName: string;
  testId: string;
  describe: (body: unknown) => string;
}) {
  const [state, setState] = useState<{ kind: "idle" | "busy" | "ok" | "error"; text?: string }>({ kind: "idle" });
  async function store() {
    setState({ kind: "busy" });
    try {
      const body = await fetchJson(props.url, objectResponse, { method: "POST" }, "storing");
      setState({ kind: "ok", text: props.describe(body) });
    } catch (e) {
      setState({ kind: "error", text: (e as Error).message });
    }
  }
  return (
    <span className="flex items-center gap-1">
      <button
        type="button"
        data-testid={props.testId}
        disabled={state.kind === "busy"}
        onClick={() => void store()}
        className="rounded border border-room-600 px-2 py-0.5 disabled:opacity-40"
        title={`Store in ${props.pacsName} (DICOMweb STOW-RS)`}
      >
        {state.kind === "busy" ? "Storing…" : props.label}
      </button>
      {state.text && (
        <span
          data-testid={`${props.testId}-result`}
          role={state.kind === "error" ? "alert" : "status"}
          className={state.kind === "error" ? "text-danger-400" : "text-ok-400"}
        >
          {state.text}
        </span>
      )}
    </span>
  );
}
