"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { SERIES_ROLES } from "./presets";
import { roleLabel } from "@/lib/imaging/series/roles";
import { setSeriesRole } from "./series-role-api";

export interface SeriesRoleRow {
  id: string;
  description: string | null;
  modality: string;
  imageCount: number;
  role: string;
  /** "auto" (classifier) or "manual" (a person) */
  roleSource: string;
  /** classifier confidence when roleSource is "auto" */
  roleConfidence: number;
  /** what the classifier had suggested before the first manual override, when known */
  classifier: { role: string; confidence: number | null } | null;
}

/**
 * The patient's series with the role that drives the hanging protocol. Radiologists and admins may override the
 * classifier (PATCH /api/series/[id]); the page is then refreshed, so the panes re-hang by the new roles.
 */
export function SeriesRoles(props: { series: SeriesRoleRow[]; canOverride: boolean; readOnlyReason: string | null }) {
  const router = useRouter();
  const [pending, setPending] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  async function override(row: SeriesRoleRow, role: string) {
    setPending(row.id);
    setMessage(null);
    try {
      await setSeriesRole(row.id, role);
      setMessage({ kind: "ok", text: `${row.description ?? row.modality}: role set to ${roleLabel(role)}` });
      router.refresh();
    } catch (e) {
      setMessage({ kind: "error", text: (e as Error).message });
    } finally {
      setPending(null);
    }
  }

  return (
    <details className="rounded border border-room-700 bg-room-900 px-2 py-1 text-xs" data-testid="series-roles">
      <summary className="cursor-pointer text-ink-300">
        Series and roles ({props.series.length})
        {!props.canOverride && props.readOnlyReason ? ` · ${props.readOnlyReason}` : ""}
      </summary>
      <table className="mt-1 w-full text-left">
        <thead className="text-ink-500">
          <tr>
            <th className="font-normal">Series</th>
            <th className="font-normal">Images</th>
            <th className="font-normal">Role</th>
            <th className="font-normal">Set by</th>
          </tr>
        </thead>
        <tbody>
          {props.series.map((row) => (
            <tr key={row.id} data-testid={`series-role-row-${row.id}`}>
              <td className="pr-2">
                {row.description ?? "(no description)"} <span className="text-ink-500">{row.modality}</span>
              </td>
              <td className="pr-2">{row.imageCount}</td>
              <td className="pr-2">
                <select
                  aria-label={`Role of ${row.description ?? row.modality}`}
                  data-testid={`series-role-${row.id}`}
                  value={row.role}
                  disabled={!props.canOverride || pending !== null}
                  title={
                    props.canOverride
                      ? "Override the classifier's role (changes the hanging protocol)"
                      : (props.readOnlyReason ?? undefined)
                  }
                  onChange={(e) => void override(row, e.target.value)}
                  className="rounded bg-room-800 px-1 disabled:opacity-60"
                >
                  {SERIES_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {roleLabel(r)}
                    </option>
                  ))}
                </select>
              </td>
              <td data-testid={`series-role-source-${row.id}`} className="text-ink-500">
                {row.roleSource === "manual"
                  ? `set by hand${row.classifier ? ` (classifier suggested ${roleLabel(row.classifier.role)}${row.classifier.confidence !== null ? `, ${Math.round(row.classifier.confidence * 100)}%` : ""})` : ""}`
                  : `classifier, ${Math.round(row.roleConfidence * 100)}% confident`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {message && (
        <p
          role="status"
          data-testid="series-role-message"
          className={message.kind === "ok" ? "text-ok-400" : "text-danger-400"}
        >
          {message.text}
        </p>
      )}
    </details>
  );
}
