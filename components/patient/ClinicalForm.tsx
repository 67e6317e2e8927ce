"use client";

import { useState, type FormEvent } from "react";
import {
  CLINICAL_VARIABLES,
  clinicalValuesFromText,
  clinicalValuesSchema,
  derivedSubtype,
  type ClinicalValues,
} from "@/lib/clinical/variables";
import { fetchJson, jsonBody } from "@/lib/api/fetch-json";
import { clinicalRecordResponse } from "@/lib/api/schemas";

/** Clinical variables with units and ranges; validated in the browser and again by the server with the same schema. */
export function ClinicalForm(props: {
  patientId: string;
  initial: ClinicalValues | null;
  version: number | null;
  canEdit: boolean;
  onSaved?: (version: number) => void;
}) {
  const [values, setValues] = useState<ClinicalValues>(props.initial ?? {});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [version, setVersion] = useState(props.version);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setStatus(null);
    const clean = clinicalValuesFromText(values);
    const parsed = clinicalValuesSchema.safeParse(clean);
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      setStatus({ kind: "error", text: parsed.error.issues[0].message });
      return;
    }
    setErrors({});
    let record;
    try {
      ({ record } = await fetchJson(
        `/api/patients/${props.patientId}/clinical`,
        clinicalRecordResponse,
        jsonBody("POST", { values: clean }),
        "save",
      ));
    } catch (e) {
      setStatus({ kind: "error", text: (e as Error).message });
      return;
    }
    if (!record) return setStatus({ kind: "error", text: "save failed: no record returned" });
    setVersion(record.version);
    setStatus({ kind: "ok", text: `Saved as version ${record.version}` });
    props.onSaved?.(record.version);
  }

  const subtype = derivedSubtype(values);
  return (
    <form
      onSubmit={onSubmit}
      className="flex flex-col gap-2 rounded border border-room-700 bg-room-900 p-3"
      aria-label="Clinical variables"
      noValidate
    >
      <div className="flex items-baseline justify-between">
        <h2 className="font-semibold">Clinical variables</h2>
        <span className="text-xs text-ink-500" data-testid="clinical-version">
          {version ? `version ${version}` : "not recorded"}
        </span>
      </div>
      <div className="grid grid-cols-2 gap-x-3 gap-y-2 text-sm">
        {CLINICAL_VARIABLES.map((v) => (
          <label key={v.name} className="flex flex-col gap-0.5 text-ink-300">
            <span>
              {v.label}
              {v.kind === "number" ? ` (${v.unit})` : ""}
              {v.required ? " *" : ""}
            </span>
            {v.kind === "number" ? (
              <input
                name={v.name}
                type="number"
                min={v.min}
                max={v.max}
                step={v.step}
                disabled={!props.canEdit}
                value={values[v.name] === null || values[v.name] === undefined ? "" : String(values[v.name])}
                onChange={(e) => setValues({ ...values, [v.name]: e.target.value })}
                aria-invalid={!!errors[v.name]}
                className="rounded border border-room-600 bg-room-800 px-2 py-1 text-ink-100"
              />
            ) : (
              <select
                name={v.name}
                disabled={!props.canEdit}
                value={values[v.name] === null || values[v.name] === undefined ? "" : String(values[v.name])}
                onChange={(e) => setValues({ ...values, [v.name]: e.target.value })}
                aria-invalid={!!errors[v.name]}
                className="rounded border border-room-600 bg-room-800 px-2 py-1 text-ink-100"
              >
                <option value="">—</option>
                {v.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            )}
            {errors[v.name] && <span className="text-xs text-danger-400">{errors[v.name]}</span>}
          </label>
        ))}
      </div>
      <p className="text-xs text-ink-500">Subtype (derived): {subtype ?? "—"}</p>
      {props.canEdit && (
        <button
          type="submit"
          className="self-start rounded bg-accent-400 px-3 py-1 text-sm font-semibold text-room-950"
        >
          Save clinical variables
        </button>
      )}
      {status && (
        <p
          role="status"
          data-testid="clinical-status"
          className={`text-sm ${status.kind === "ok" ? "text-ok-400" : "text-danger-400"}`}
        >
          {status.text}
        </p>
      )}
    </form>
  );
}
