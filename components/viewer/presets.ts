/** Window/level presets (window width, level in HU for CT). "auto" means: the image's own VOI / min–max. */
export interface WindowPreset {
  id: string;
  label: string;
  width?: number;
  center?: number;
}

export const CT_PRESETS: WindowPreset[] = [
  { id: "auto", label: "Auto" },
  { id: "soft", label: "Soft tissue", width: 400, center: 40 },
  { id: "mediastinum", label: "Mediastinum", width: 350, center: 50 },
  { id: "lung", label: "Lung", width: 1500, center: -600 },
  { id: "bone", label: "Bone", width: 2000, center: 300 },
];

export const MR_PRESETS: WindowPreset[] = [{ id: "auto", label: "Auto" }];

export function presetsFor(modality: string): WindowPreset[] {
  return modality === "CT" ? CT_PRESETS : MR_PRESETS;
}

export function voiRange(p: WindowPreset): { lower: number; upper: number } | null {
  if (p.width === undefined || p.center === undefined) return null;
  return { lower: p.center - p.width / 2, upper: p.center + p.width / 2 };
}

/** Series roles (database ids) in the order the role chooser lists them, with their labels. */
export const SERIES_ROLES = ["CE_T1", "T2", "CT", "OTHER"] as const;
export type SeriesRole = (typeof SERIES_ROLES)[number];
export const ROLE_LABEL: Record<string, string> = { CE_T1: "CE-T1", T2: "T2", CT: "CT", OTHER: "Other" };

/** The roles of the three panes, left to right. */
export const PANE_ROLES = ["CE_T1", "T2", "CT"] as const satisfies readonly SeriesRole[];

/** Hanging protocol: CE-T1 | T2 | CT, each the best-ranked series of that role. */
export function hangingProtocol<T extends { role: string }>(series: T[]): (T | null)[] {
  return PANE_ROLES.map((role) => series.find((s) => s.role === role) ?? null);
}
