/**
 * Window presets by intensity percentile, for MR whose stored values have no absolute scale (unlike CT's HU presets):
 * "1-99 %" and "5-95 %" map the given percentiles of the series' voxels to the ends of the grey ramp. Voxels at the
 * series minimum (air, padding; often half of an MR volume) are left out so they do not pull the low end down.
 * Browser-safe: the viewer calls it on the loaded volume's scalar data.
 */
import { NacError } from "../errors";

export interface PercentileWindow {
  /** Intensities mapped to black and white. */
  lower: number;
  upper: number;
  /** The same as window centre / width (DICOM VOI LUT terms, as Cornerstone's voiRange expects lower/upper). */
  center: number;
  width: number;
}

export interface PercentileWindowPreset {
  id: string;
  label: string;
  lowPercent: number;
  highPercent: number;
}

export const MR_WINDOW_PRESETS: readonly PercentileWindowPreset[] = [
  { id: "p1-99", label: "1–99 %", lowPercent: 1, highPercent: 99 },
  { id: "p5-95", label: "5–95 %", lowPercent: 5, highPercent: 95 },
];

/** At most this many voxels are sampled (evenly strided): percentiles to well under one grey level. */
const MAX_SAMPLES = 1 << 20;

export function percentileWindow(data: ArrayLike<number>, lowPercent: number, highPercent: number): PercentileWindow {
  if (!(lowPercent >= 0 && highPercent <= 100 && lowPercent < highPercent)) {
    throw new NacError(
      "BAD_REQUEST",
      `percentiles must satisfy 0 <= low < high <= 100, got ${lowPercent}, ${highPercent}`,
    );
  }
  let min = Infinity;
  for (let i = 0; i < data.length; i++) if (data[i] < min) min = data[i];
  const step = Math.max(1, Math.floor(data.length / MAX_SAMPLES));
  const sample: number[] = [];
  for (let i = 0; i < data.length; i += step) if (data[i] > min && Number.isFinite(data[i])) sample.push(data[i]);
  if (sample.length === 0) {
    // A constant image: a unit window around its value.
    const v = Number.isFinite(min) ? min : 0;
    return { lower: v - 0.5, upper: v + 0.5, center: v, width: 1 };
  }
  const sorted = Float64Array.from(sample).sort();
  const at = (p: number) => {
    // Linear interpolation between order statistics (numpy's default "linear" method).
    const x = (p / 100) * (sorted.length - 1);
    const i = Math.floor(x),
      f = x - i;
    return i + 1 < sorted.length ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
  };
  const lower = at(lowPercent);
  let upper = at(highPercent);
  if (upper <= lower) upper = lower + 1;
  return { lower, upper, center: (lower + upper) / 2, width: upper - lower };
}
