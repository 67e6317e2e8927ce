/**
 * Which way the one-click tool's lesion differs from its surroundings (lib/imaging/assisted-segmentation's polarity):
 * "bright" (enhancing on CE-T1, contrast CT), or "dark" (e.g. a sarcoma darker than the fat around it on T1). Chosen
 * per pane and remembered for the series shown there; a series nobody chose for starts from its role's default.
 */
import type { LesionPolarity } from "@/lib/imaging/assisted-segmentation";
import type { SeriesRoleId } from "@/lib/imaging/series/roles";

export const DEFAULT_POLARITY: Readonly<Record<SeriesRoleId, LesionPolarity>> = {
  CE_T1: "bright",
  T2: "bright",
  CT: "bright",
  OTHER: "bright",
};

/** The polarity of the series shown in a pane: the one chosen for it, else its role's default. */
export function polarityOf(
  chosen: Readonly<Record<string, LesionPolarity>>,
  series: { id: string; role: string } | null,
): LesionPolarity {
  if (!series) return "bright";
  return chosen[series.id] ?? DEFAULT_POLARITY[series.role as SeriesRoleId] ?? "bright";
}

/** The choice after toggling the series' polarity (the other series keep theirs). */
export function togglePolarity(
  chosen: Readonly<Record<string, LesionPolarity>>,
  series: { id: string; role: string },
): Record<string, LesionPolarity> {
  return { ...chosen, [series.id]: polarityOf(chosen, series) === "bright" ? "dark" : "bright" };
}
