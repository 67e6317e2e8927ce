/**
 * Region masks for deep features: intratumoral = the tumour mask (> 0); peritumoral = the shell of non-tumour voxels
 * within `marginMm` of the tumour (lib/imaging/peritumoral.ts, distance to the nearest tumour voxel centre, which is
 * the dilation-by-a-ball convention of the peritumoral literature).
 */
import { NacError } from "../errors";
import { peritumoralShell as imagingShell, type PeritumoralOptions } from "../imaging/peritumoral";
import type { Mask } from "../imaging/volume";

export type DeepRegion = "intra" | "peri";

export function intratumoralMask(mask: Mask): Mask {
  const data = new Uint8Array(mask.data.length);
  for (let p = 0; p < data.length; p++) data[p] = mask.data[p] > 0 ? 1 : 0;
  return { ...mask, data };
}

export function peritumoralShell(mask: Mask, marginMm: number, opts: PeritumoralOptions = {}): Mask {
  return imagingShell(intratumoralMask(mask), marginMm, { measureFrom: "centres", ...opts, label: 1 });
}

export function regionMask(mask: Mask, region: DeepRegion, marginMm: number, opts: PeritumoralOptions = {}): Mask {
  if (region === "intra") return intratumoralMask(mask);
  if (region === "peri") return peritumoralShell(mask, marginMm, opts);
  throw new NacError("SETTINGS_INVALID", `region must be intra or peri, got ${String(region)}`);
}
