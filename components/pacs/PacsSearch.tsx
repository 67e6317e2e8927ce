"use client";

import Link from "next/link";
import { useState } from "react";
import type { z } from "zod";
import { fetchJson } from "@/lib/api/fetch-json";
import { pacsStudiesResponse, type pacsStudySchema } from "@/lib/api/schemas";
import { PacsImportButton } from "./PacsImportButton";

type Study = z.infer<typeof pacsStudySchema>;

const FIELDS = [
  { name: "patientId", label: "Patient ID", placeholder: "e.g. MRN" },
  { name: "patientName", label: "Name", placeholder: "part of the name" },
  { name: "birthDate", label: "Birth date", placeholder: "YYYYMMDD" },
  { name: "studyDate", label: "Study date", placeholder: "YYYYMMDD[-YYYYMMDD]" },
  { name: "modality", label: "Modality", placeholder: "MR, CT" },
  { name: "accessionNumber", label: "Accession", placeholder: "" },
] as const;

const fmtDate = (d: string | null) =>
  d && /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` : (d ?? "—");

/**
 * The worklist's PACS tab: QIDO-RS search of the configured data source (through the server, which holds the
 * credentials). A patient's studies open together in the viewer (CE-T1 and T2 usually come in an MR study, CT in
 * another), streamed and not stored; or they are imported for ROI drawing and prediction.
 */
export function PacsSearch(props: { sources: { id: string; name: string }[]; canImport: boolean }) {
  const [sourceId, setSourceId] = useState(props.sources[0]?.id ?? "");
  const [studies, setStudies] = useState<Study[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function search(form: FormData) {
    setBusy(true);
    setError(null);
    const q = new URLSearchParams({ sourceId });
    for (const f of FIELDS) {
      const v = String(form.get(f.name) ?? "").trim();
      if (v) q.set(f.name, f.name === "modality" ? v.toUpperCase() : v);
    }
    try {
      const body = await fetchJson(`/api/pacs/studies?${q}`, pacsStudiesResponse, undefined, "search");
      setStudies(body.studies);
    } catch (e) {
      setStudies(null);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (!props.sources.length) {
    return (
      <p className="text-ink-300" data-testid="pacs-not-configured">
        No PACS is configured. An admin adds one under{" "}
        <Link href="/admin/pacs" className="text-accent-400 hover:underline">
          Admin → PACS
        </Link>
        .
      </p>
    );
  }
  const byPatient = new Map<string, Study[]>();
  for (const s of studies ?? []) byPatient.set(s.patientId ?? "", [...(byPatient.get(s.patientId ?? "") ?? []), s]);
  return (
    <div className="flex flex-col gap-3" data-testid="pacs-search">
      <form
        role="search"
        aria-label="Search the PACS"
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void search(new FormData(e.currentTarget));
        }}
      >
        {props.sources.length > 1 && (
          <label className="flex flex-col text-xs text-ink-500">
            PACS
            <select
              value={sourceId}
              onChange={(e) => setSourceId(e.target.value)}
              className="rounded border border-room-600 bg-room-900 px-2 py-1 text-sm"
            >
              {props.sources.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {FIELDS.map((f) => (
          <label key={f.name} className="flex flex-col text-xs text-ink-500">
            {f.label}
            <input
              name={f.name}
              placeholder={f.placeholder}
              className="w-36 rounded border border-room-600 bg-room-900 px-2 py-1 text-sm text-ink-100"
            />
          </label>
        ))}
        <button
          disabled={busy}
          className="rounded bg-accent-400 px-3 py-1 text-sm font-semibold text-room-950 disabled:opacity-50"
        >
          {busy ? "Searching…" : "Search PACS"}
        </button>
      </form>
      {error && (
        <p role="alert" className="text-sm text-danger-400" data-testid="pacs-error">
          {error}
        </p>
      )}
      {studies && studies.length === 0 && (
        <p className="text-ink-300" data-testid="pacs-empty">
          No study on the PACS matches.
        </p>
      )}
      {studies && studies.length > 0 && (
        <table className="w-full text-left text-sm" data-testid="pacs-results">
          <thead className="text-ink-500">
            <tr>
              <th className="py-1">Patient</th>
              <th>ID</th>
              <th>Born</th>
              <th>Study date</th>
              <th>Modalities</th>
              <th>Accession</th>
              <th>Description</th>
              <th>Images</th>
            </tr>
          </thead>
          <tbody>
            {[...byPatient].map(([pid, group]) => (
              <PatientRows key={pid} group={group} sourceId={sourceId} canImport={props.canImport} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function PatientRows({ group, sourceId, canImport }: { group: Study[]; sourceId: string; canImport: boolean }) {
  const uids = group.map((s) => s.studyInstanceUid);
  const view = `/pacs/view?${new URLSearchParams([["source", sourceId], ...uids.map((u) => ["study", u])])}`;
  return (
    <>
      {group.map((s) => (
        <tr key={s.studyInstanceUid} className="border-t border-room-700" data-testid="pacs-study-row">
          <td className="py-1">{s.patientName ?? "—"}</td>
          <td>{s.patientId ?? "—"}</td>
          <td>{fmtDate(s.birthDate)}</td>
          <td>{fmtDate(s.studyDate)}</td>
          <td>{s.modalities.join(", ") || "—"}</td>
          <td>{s.accessionNumber ?? "—"}</td>
          <td>{s.description ?? "—"}</td>
          <td>{s.instanceCount ?? "—"}</td>
        </tr>
      ))}
      <tr className="border-b border-room-700">
        <td colSpan={8} className="pb-2 text-sm">
          <div className="flex flex-wrap items-center gap-3">
            <Link
              href={view}
              className="rounded border border-room-600 px-2 py-0.5 text-accent-400 hover:bg-room-700"
              data-testid="pacs-open"
            >
              View {group.length > 1 ? `these ${group.length} studies` : "study"} (streamed)
            </Link>
            {canImport && <PacsImportButton sourceId={sourceId} studyUids={uids} />}
          </div>
        </td>
      </tr>
    </>
  );
}
