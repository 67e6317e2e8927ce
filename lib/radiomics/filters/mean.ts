/** IBSI 2 mean filter: the average over a support of d voxels per filtered axis (d odd), with a boundary condition. */
import { NacError } from "@/lib/errors/nac-error";
import { convolveSeparable, like, type Boundary, type Dimensionality, type FilterGrid } from "./grid";

export function meanFilter(g: FilterGrid, support: number, boundary: Boundary, dim: Dimensionality): FilterGrid {
  if (!Number.isInteger(support) || support < 1 || support % 2 === 0)
    throw new NacError("SETTINGS_INVALID", `mean filter support must be an odd number of voxels, got ${support}`);
  const h = new Float64Array(support).fill(1 / support);
  return like(g, convolveSeparable(g.data, g.dims, [h, h, dim === "3D" ? h : null], boundary));
}
