/**
 * IBSI 2 Laws kernels: a 1D kernel per filtered axis (name order = i, j, k; e.g. "E5L5S5"), optional rotation
 * invariance (pooling over the grid's right-handed orientations) and the energy map (mean of |response| over a
 * (2 delta + 1) neighbourhood, delta in voxels, same boundary condition).
 */
import { NacError } from "@/lib/errors/nac-error";
import { convolveSeparable, like, type Boundary, type Dimensionality, type FilterGrid } from "./grid";
import { orientations } from "./rotation";
import { Pooler, type Pooling } from "./pooling";

const S6 = Math.sqrt(6),
  S2 = Math.sqrt(2),
  S10 = Math.sqrt(10),
  S70 = Math.sqrt(70);
export const LAWS_KERNELS: Record<string, readonly number[]> = {
  L3: [1 / S6, 2 / S6, 1 / S6],
  E3: [-1 / S2, 0, 1 / S2],
  S3: [-1 / S6, 2 / S6, -1 / S6],
  L5: [1 / S70, 4 / S70, 6 / S70, 4 / S70, 1 / S70],
  E5: [-1 / S10, -2 / S10, 0, 2 / S10, 1 / S10],
  S5: [-1 / S6, 0, 2 / S6, 0, -1 / S6],
  W5: [-1 / S10, 2 / S10, 0, -2 / S10, 1 / S10],
  R5: [1 / S70, -4 / S70, 6 / S70, -4 / S70, 1 / S70],
};

export function parseLawsName(name: string, dim: Dimensionality): number[][] {
  const parts = name.match(/[A-Z]\d/g) ?? [];
  const want = dim === "3D" ? 3 : 2;
  if (parts.join("") !== name || parts.length !== want || parts.some((p) => !LAWS_KERNELS[p])) {
    throw new NacError(
      "SETTINGS_INVALID",
      `Laws kernel ${JSON.stringify(name)} must name ${want} kernels among ${Object.keys(LAWS_KERNELS).join(", ")}`,
    );
  }
  return parts.map((p) => [...LAWS_KERNELS[p]]);
}

export interface LawsOptions {
  kernel: string;
  rotationInvariant: boolean;
  pooling: Pooling;
  /** Energy map distance delta in voxels; null = no energy map. */
  energyDelta: number | null;
}

export function lawsFilter(g: FilterGrid, o: LawsOptions, boundary: Boundary, dim: Dimensionality): FilterGrid {
  const kernels = parseLawsName(o.kernel, dim);
  const pooler = new Pooler(o.pooling);
  for (const ori of orientations(kernels, null, o.rotationInvariant)) {
    pooler.add(convolveSeparable(g.data, g.dims, [ori.kernels[0], ori.kernels[1], ori.kernels[2] ?? null], boundary));
  }
  let out = pooler.result();
  if (o.energyDelta !== null) {
    if (!Number.isInteger(o.energyDelta) || o.energyDelta < 0)
      throw new NacError("SETTINGS_INVALID", "Laws energy delta must be a whole number of voxels");
    const d = 2 * o.energyDelta + 1;
    const h = new Float64Array(d).fill(1 / d);
    for (let i = 0; i < out.length; i++) out[i] = Math.abs(out[i]);
    out = convolveSeparable(out, g.dims, [h, h, dim === "3D" ? h : null], boundary);
  }
  return like(g, out);
}
