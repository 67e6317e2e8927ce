/** Window/level presets (window width, level in HU for CT). "auto" means: the image's own VOI / min–max. */
export interface WindowPreset {
  id: string;
  label: string;
  width?: number;
  center?: number;
  /** window from these percentiles of the series' intensities (MR has no absolute scale) */
  percentiles?: [number, number];
}

export const CT_PRESETS: WindowPreset[] = [
  { id: "auto", label: "Auto" },
  { id: "soft", label: "Soft tissue", width: 400, center: 40 },
  { id: "mediastinum", label: "Mediastinum", width: 350, center: 50 },
  { id: "lung", label: "Lung", width: 1500, center: -600 },
  { id: "bone", label: "Bone", width: 2000, center: 300 },
];

export const MR_PRESETS: WindowPreset[] = [
  { id: "auto", label: "Auto" },
  { id: "p1-99", label: "1–99 %", percentiles: [1, 99] },
  { id: "p5-95", label: "5–95 %", percentiles: [5, 95] },
];

/**
 * VOI range from percentiles of the intensities of a series' slices, on a strided sample of at most `maxSamples`
 * voxels (a 512 x 512 x 160 series has 42 M; the percentiles of 200 k evenly spread ones differ by far less than a
 * grey level on screen). Null when there are no pixels.
 */
export function percentileRange(slices: ArrayLike<number>[], lo: number, hi: number, maxSamples = 200_000): { lower: number; upper: number } | null {
  const total = slices.reduce((n, s) => n + s.length, 0);
  if (total === 0) return null;
  const stride = Math.max(1, Math.floor(total / maxSamples));
  const sample: number[] = [];
  let offset = 0;
  for (const s of slices) {
    for (let p = (stride - (offset % stride)) % stride; p < s.length; p += stride) sample.push(s[p]);
    offset += s.length;
  }
  const sorted = Float64Array.from(sample).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round((q / 100) * (sorted.length - 1))))];
  const lower = at(lo), upper = at(hi);
  return upper > lower ? { lower, upper } : { lower, upper: lower + 1 };
}

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
