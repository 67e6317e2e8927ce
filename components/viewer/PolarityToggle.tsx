"use client";

import type { LesionPolarity } from "@/lib/imaging/assisted-segmentation";
import { shortcutLabel } from "./key-map";

/** The one-click tool's lesion polarity on the active pane (lesion-polarity.ts); applies to the next click. */
export function PolarityToggle(props: {
  polarity: LesionPolarity;
  disabledReason: string | null;
  onToggle: () => void;
}) {
  const key = shortcutLabel((a) => a.kind === "polarity");
  return (
    <span className="flex items-center gap-1 text-ink-300" role="group" aria-label="One-click lesion polarity">
      one-click lesion
      {(["bright", "dark"] as const).map((p) => (
        <button
          key={p}
          type="button"
          data-testid={`polarity-${p}`}
          aria-pressed={props.polarity === p}
          disabled={!!props.disabledReason}
          title={
            props.disabledReason ??
            `${p === "bright" ? "brighter" : "darker"} than its surroundings (e.g. ${p === "bright" ? "enhancing on CE-T1" : "a sarcoma on T1"}); ${key} toggles; applies to the next click`
          }
          onClick={() => props.polarity !== p && props.onToggle()}
          className={`rounded border px-1 disabled:opacity-40 ${props.polarity === p ? "border-accent-400 text-accent-400" : "border-room-600"}`}
        >
          {p}
        </button>
      ))}
    </span>
  );
}
