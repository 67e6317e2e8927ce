/**
 * Region masks for deep features: intratumoral = the tumour mask (> 0); peritumoral = the shell of voxels outside the
 * tumour within `marginMm` (voxel-centre Euclidean distance in mm, per-axis spacing) of it.
 * Interim local implementation: lib/imaging/peritumoral.ts (geometry engine) is the canonical one once it lands.
 */
import { NacError } from "../errors";
import type { Mask } from "../imaging/volume";

export type DeepRegion = "intra" | "peri";

export function intratumoralMask(mask: Mask): Mask {
  const data = new Uint8Array(mask.data.length);
  for (let p = 0; p < data.length; p++) data[p] = mask.data[p] > 0 ? 1 : 0;
  return { ...mask, data };
}

export function peritumoralShell(mask: Mask, marginMm: number): Mask {
  if (!(marginMm > 0) || !Number.isFinite(marginMm)) {
    throw new NacError("SETTINGS_INVALID", `peritumoral margin must be > 0 mm, got ${marginMm}`);
  }
  const [nx, ny, nz] = mask.dims;
  const [sx, sy, sz] = mask.spacing;
  const rx = Math.floor(marginMm / sx + 1e-9);
  const ry = Math.floor(marginMm / sy + 1e-9);
  const rz = Math.floor(marginMm / sz + 1e-9);
  const offsets: Array<[number, number, number]> = [];
  const r2 = marginMm * marginMm * (1 + 1e-9);
  for (let dz = -rz; dz <= rz; dz++)
    for (let dy = -ry; dy <= ry; dy++)
      for (let dx = -rx; dx <= rx; dx++) {
        if ((dx * sx) ** 2 + (dy * sy) ** 2 + (dz * sz) ** 2 <= r2 && (dx || dy || dz)) offsets.push([dx, dy, dz]);
      }
  const src = mask.data;
  const out = new Uint8Array(src.length);
  const sxy = nx * ny;
  const inT = (i: number, j: number, k: number) => i >= 0 && j >= 0 && k >= 0 && i < nx && j < ny && k < nz && src[i + j * nx + k * sxy] > 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        if (!inT(i, j, k)) continue;
        // only boundary voxels can be the nearest tumour voxel of an outside point
        if (inT(i - 1, j, k) && inT(i + 1, j, k) && inT(i, j - 1, k) && inT(i, j + 1, k) && inT(i, j, k - 1) && inT(i, j, k + 1)) continue;
        for (const [dx, dy, dz] of offsets) {
          const a = i + dx;
          const b = j + dy;
          const c = k + dz;
          if (a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz) continue;
          const q = a + b * nx + c * sxy;
          if (src[q] === 0) out[q] = 1;
        }
      }
  return { ...mask, data: out };
}

export function regionMask(mask: Mask, region: DeepRegion, marginMm: number): Mask {
  if (region === "intra") return intratumoralMask(mask);
  if (region === "peri") return peritumoralShell(mask, marginMm);
  throw new NacError("SETTINGS_INVALID", `region must be intra or peri, got ${String(region)}`);
}
