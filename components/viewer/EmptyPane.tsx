"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { PANE_ROLES } from "./presets";
import { roleLabel } from "@/lib/imaging/series/roles";
import { setSeriesRole } from "./series-role-api";
import type { ViewerSeries } from "./series-stack";

/**
 * A pane without a series of its role offers the patient's series not shown elsewhere (e.g. those the classifier
 * called "Other"): show one here for this session, or give it this pane's role (a manual override, as in the series
 * list) so the hanging protocol puts it here from now on.
 */
export function EmptyPane(props: {
  index: number;
  candidates: ViewerSeries[];
  canSetRole: boolean;
  readOnlyReason: string | null;
  onShow: (seriesId: string) => void;
}) {
  const router = useRouter();
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const role = PANE_ROLES[props.index];
  const label = roleLabel(role);

  async function assign(s: ViewerSeries) {
    setPending(s.id);
    setError(null);
    try {
      await setSeriesRole(s.id, role);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setPending(null);
    }
  }

  return (
    <div
      className="absolute inset-0 z-10 flex flex-col gap-2 overflow-auto p-3 text-xs text-ink-300"
      data-testid={`empty-pane-${props.index}`}
    >
      <p>No {label} series.</p>
      {props.candidates.length === 0 ? (
        <p className="text-ink-500">This patient has no other series to show here.</p>
      ) : (
        <>
          <p className="text-ink-500">Other series of this patient:</p>
          <ul className="flex flex-col gap-1">
            {props.candidates.map((s) => (
              <li
                key={s.id}
                className="flex flex-wrap items-center gap-2 rounded border border-room-700 px-2 py-1"
                data-testid={`other-series-${s.id}`}
              >
                <span className="flex-1">
                  {s.description ?? "(no description)"}{" "}
                  <span className="text-ink-500">
                    · {s.modality} · {s.images.length} images · {roleLabel(s.role)}
                  </span>
                </span>
                <button
                  type="button"
                  className="rounded border border-room-600 px-2 py-0.5"
                  onClick={() => props.onShow(s.id)}
                >
                  Show here
                </button>
                <button
                  type="button"
                  className="rounded border border-room-600 px-2 py-0.5 disabled:opacity-40"
                  disabled={!props.canSetRole || pending !== null}
                  title={
                    props.canSetRole
                      ? `Set this series' role to ${label} (a manual override of the classifier)`
                      : (props.readOnlyReason ?? "role overrides are not available here")
                  }
                  onClick={() => void assign(s)}
                >
                  {pending === s.id ? "Setting…" : `Set role to ${label}`}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {error && (
        <p role="alert" className="text-danger-400">
          {error}
        </p>
      )}
    </div>
  );
}
