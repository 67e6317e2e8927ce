import { IMAGE_ROLES } from "@/lib/imaging/series/roles";
import { MR_WINDOW_PRESETS, percentileWindow } from "@/lib/imaging/window-presets";

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

/** MR: the image's own VOI, or the percentile windows of lib/imaging/window-presets (MR has no absolute scale). */
export const MR_PRESETS: WindowPreset[] = [
  { id: "auto", label: "Auto" },
  ...MR_WINDOW_PRESETS.map((p) => ({
    id: p.id,
    label: p.label,
    percentiles: [p.lowPercent, p.highPercent] as [number, number],
  })),
];

/**
 * VOI range from percentiles of the intensities of a series' slices (percentileWindow), on an evenly strided sample of
 * at most `maxSamples` voxels across the slices, so that no copy of the whole series is made. Null without pixels.
 */
export function percentileRange(
  slices: ArrayLike<number>[],
  lo: number,
  hi: number,
  maxSamples = 1 << 20,
): { lower: number; upper: number } | null {
  const total = slices.reduce((n, s) => n + s.length, 0);
  if (total === 0) return null;
  const stride = Math.max(1, Math.ceil(total / maxSamples));
  const sample = new Float32Array(Math.ceil(total / stride));
  let n = 0,
    offset = 0;
  for (const s of slices) {
    for (let p = (stride - (offset % stride)) % stride; p < s.length; p += stride) sample[n++] = s[p];
    offset += s.length;
  }
  const w = percentileWindow(sample.subarray(0, n), lo, hi);
  return { lower: w.lower, upper: w.upper };
}

export function presetsFor(modality: string): WindowPreset[] {
  return modality === "CT" ? CT_PRESETS : MR_PRESETS;
}

export function voiRange(p: WindowPreset): { lower: number; upper: number } | null {
  if (p.width === undefined || p.center === undefined) return null;
  return { lower: p.center - p.width / 2, upper: p.center + p.width / 2 };
}

/** Series roles and their labels: the one vocabulary (lib/imaging/series/roles.ts). */
export { SERIES_ROLES, ROLE_LABELS as ROLE_LABEL } from "@/lib/imaging/series/roles";

/** The roles of the three panes, left to right. */
export const PANE_ROLES = IMAGE_ROLES;

/** Hanging protocol: CE-T1 | T2 | CT, each the best-ranked series of that role. */
export function hangingProtocol<T extends { role: string }>(series: T[]): (T | null)[] {
  return PANE_ROLES.map((role) => series.find((s) => s.role === role) ?? null);
}
