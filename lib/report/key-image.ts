import { NacError } from "../errors";
import type { Mask, Volume } from "../imaging/volume";

/**
 * The report's key image of a series: the slice where the ROI is largest, windowed to the 1st–99th percentile of the
 * slice, with the ROI outline in red (and the peritumoral shell outline in amber when given). Returns RGBA.
 */
export function renderKeyImage(
  image: Volume,
  roi: Mask,
  shell?: Mask | null,
): { width: number; height: number; rgba: Uint8Array; slice: number } {
  const [nx, ny, nz] = image.dims;
  const plane = nx * ny;
  let best = -1,
    bestCount = 0;
  for (let k = 0; k < nz; k++) {
    let c = 0;
    for (let p = 0; p < plane; p++) if (roi.data[k * plane + p]) c++;
    if (c > bestCount) [best, bestCount] = [k, c];
  }
  if (best < 0) throw new NacError("MASK_EMPTY", "ROI is empty: no key image");
  const values = Float64Array.from(image.data.subarray(best * plane, (best + 1) * plane) as ArrayLike<number>);
  const sorted = Float64Array.from(values).sort();
  const lo = sorted[Math.floor(0.01 * (plane - 1))],
    hi = sorted[Math.floor(0.99 * (plane - 1))];
  const span = hi > lo ? hi - lo : 1;
  const rgba = new Uint8Array(plane * 4);
  const at = (m: Mask | null | undefined, x: number, y: number) =>
    m && x >= 0 && y >= 0 && x < nx && y < ny ? m.data[best * plane + y * nx + x] !== 0 : false;
  const edge = (m: Mask | null | undefined, x: number, y: number) =>
    at(m, x, y) && (!at(m, x - 1, y) || !at(m, x + 1, y) || !at(m, x, y - 1) || !at(m, x, y + 1));
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const p = y * nx + x;
      const g = Math.max(0, Math.min(255, Math.round((255 * (values[p] - lo)) / span)));
      let rgb: [number, number, number] = [g, g, g];
      if (edge(roi, x, y)) rgb = [248, 81, 73];
      else if (edge(shell, x, y)) rgb = [227, 179, 65];
      rgba.set([...rgb, 255], p * 4);
    }
  }
  return { width: nx, height: ny, rgba, slice: best };
}
