"use client";

import { useState, type FormEvent } from "react";
import { fetchJson, jsonBody } from "@/lib/api/fetch-json";
import { outcomeSavedResponse } from "@/lib/api/schemas";

/** The latest recorded outcome as the page gives it (lib/pipeline/outcomes.ts row, dates as strings). */
export interface OutcomeView {
  version: number;
  pcr: number | null;
  response: number | null;
  preDiameterMm: number | null;
  postDiameterMm: number | null;
  outcomeDate: string | null;
  source: string;
  recordedAt: string;
}

type Binary = "" | "0" | "1";
const binary = (v: number | null | undefined): Binary => (v === 0 ? "0" : v === 1 ? "1" : "");
const num = (s: string): number | null => (s.trim() === "" ? null : Number(s));

/**
 * Outcome after surgery (pCR, response or the pre/post longest diameters it is derived from, date, source): each save
 * is a new version (nothing is overwritten; the server validates with the same rules and audits the changed fields).
 * Read-only without the outcome.write permission.
 */
export function OutcomeForm(props: { patientId: string; initial: OutcomeView | null; canEdit: boolean }) {
  const i = props.initial;
  const [pcr, setPcr] = useState<Binary>(binary(i?.pcr));
  const [response, setResponse] = useState<Binary>(binary(i?.response));
  const [pre, setPre] = useState(i?.preDiameterMm?.toString() ?? "");
  const [post, setPost] = useState(i?.postDiameterMm?.toString() ?? "");
  const [date, setDate] = useState(i?.outcomeDate ?? "");
  const [source, setSource] = useState(i?.source ?? "");
  const [version, setVersion] = useState(i?.version ?? null);
  const [status, setStatus] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setStatus(null);
    const values = {
      pcr: pcr === "" ? null : Number(pcr),
      // derived by the server from the diameters when left open
      response: response === "" ? null : Number(response),
      preDiameterMm: num(pre),
      postDiameterMm: num(post),
      outcomeDate: date === "" ? null : date,
      source: source.trim(),
    };
    if ([values.preDiameterMm, values.postDiameterMm].some((v) => v !== null && !Number.isFinite(v)))
      return setStatus({ kind: "error", text: "diameters must be numbers (mm)" });
    setBusy(true);
    try {
      let body;
      try {
        body = await fetchJson(
          `/api/patients/${props.patientId}/outcome`,
          outcomeSavedResponse,
          jsonBody("POST", { values }),
          "save",
        );
      } catch (e) {
        return setStatus({ kind: "error", text: (e as Error).message });
      }
      setVersion(body.outcome.version);
      setResponse(binary(body.outcome.response));
      setStatus({ kind: "ok", text: `Saved as version ${body.outcome.version}` });
    } finally {
      setBusy(false);
    }
  }

  const field = "rounded border border-room-600 bg-room-800 px-2 py-1 text-ink-100";
  const yesNo = (name: string, value: Binary, set: (v: Binary) => void, label: string) => (
    <label className="flex flex-col gap-0.5 text-ink-300">
      <span>{label}</span>
      <select
        name={name}
        value={value}
        disabled={!props.canEdit}
        onChange={(e) => set(e.target.value as Binary)}
        className={field}
      >
        <option value="">not recorded</option>
        <option value="1">yes</option>
        <option value="0">no</option>
      </select>
    </label>
  );
  return (
    <form
      onSubmit={onSubmit}
      className="flex flex-col gap-2 rounded border border-room-700 bg-room-900 p-3"
      aria-label="Outcome after surgery"
      noValidate
    >
      <div className="flex items-baseline justify-between">
        <h2 className="font-semibold">Outcome after surgery</h2>
        <span className="text-xs text-ink-500" data-testid="outcome-version">
          {version ? `version ${version}` : "not recorded"}
        </span>
      </div>
      <div className="grid grid-cols-2 gap-x-3 gap-y-2 text-sm">
        {yesNo("pcr", pcr, setPcr, "Pathological complete response (pCR)")}
        {yesNo("response", response, setResponse, "Response (≥ 30 % reduction of the longest diameter)")}
        <label className="flex flex-col gap-0.5 text-ink-300">
          <span>Longest diameter before NAC (mm)</span>
          <input
            name="preDiameterMm"
            type="number"
            min={0}
            max={500}
            step={0.1}
            value={pre}
            disabled={!props.canEdit}
            onChange={(e) => setPre(e.target.value)}
            className={field}
          />
        </label>
        <label className="flex flex-col gap-0.5 text-ink-300">
          <span>Longest diameter after NAC (mm)</span>
          <input
            name="postDiameterMm"
            type="number"
            min={0}
            max={500}
            step={0.1}
            value={post}
            disabled={!props.canEdit}
            onChange={(e) => setPost(e.target.value)}
            className={field}
          />
        </label>
        <label className="flex flex-col gap-0.5 text-ink-300">
          <span>Date of surgery / pathology</span>
          <input
            name="outcomeDate"
            type="date"
            value={date}
            disabled={!props.canEdit}
            onChange={(e) => setDate(e.target.value)}
            className={field}
          />
        </label>
        <label className="flex flex-col gap-0.5 text-ink-300">
          <span>Source *</span>
          <input
            name="source"
            type="text"
            maxLength={200}
            placeholder="e.g. surgical pathology report"
            value={source}
            disabled={!props.canEdit}
            onChange={(e) => setSource(e.target.value)}
            className={field}
          />
        </label>
      </div>
      <p className="text-xs text-ink-500">
        Response is derived from the two diameters when left open. Every save is kept as a new version and audited.
      </p>
      {props.canEdit ? (
        <button
          type="submit"
          disabled={busy}
          className="self-start rounded bg-accent-400 px-3 py-1 text-sm font-semibold text-room-950 disabled:opacity-50"
        >
          Save outcome
        </button>
      ) : (
        <p className="text-xs text-ink-500">Read-only: oncologists, radiologists and admins record outcomes.</p>
      )}
      {status && (
        <p
          role="status"
          data-testid="outcome-status"
          className={`text-sm ${status.kind === "ok" ? "text-ok-400" : "text-danger-400"}`}
        >
          {status.text}
        </p>
      )}
    </form>
  );
}
