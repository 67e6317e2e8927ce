/** Benchmark cases shared by bench/radiomics: pyradiomics' test cases and the synthetic ~200k-voxel MR-like tumour. */
import path from "node:path";
import { readFileSync } from "node:fs";
import { readNrrd } from "../../lib/imaging/nrrd";
import { makeVolume, type Mask, type Volume } from "../../lib/imaging/volume";

export function pyradCase(name: string): { image: Volume; mask: Mask } {
  const dir = path.resolve(import.meta.dirname, "../../lib/testdata/pyradiomics");
  const image = readNrrd(new Uint8Array(readFileSync(path.join(dir, `${name}_image.nrrd`))));
  const m = readNrrd(new Uint8Array(readFileSync(path.join(dir, `${name}_label.nrrd`))));
  return { image, mask: makeVolume(Uint8Array.from(m.data), m) };
}

/** A lobulated MR-like tumour (~200k voxels) in 256 x 256 x 96, 0.8 x 0.8 x 1.5 mm, int16 intensities. */
export function synthetic(): { image: Volume; mask: Mask; voxels: number } {
  const dims: [number, number, number] = [256, 256, 96];
  const n = dims[0] * dims[1] * dims[2];
  const img = new Int16Array(n),
    mask = new Uint8Array(n);
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  let voxels = 0;
  for (let z = 0, i = 0; z < dims[2]; z++) {
    for (let y = 0; y < dims[1]; y++) {
      for (let x = 0; x < dims[0]; x++, i++) {
        const dx = (x - 128) * 0.8,
          dy = (y - 120) * 0.8,
          dz = (z - 48) * 1.5;
        const r = Math.hypot(dx, dy, dz);
        const th = Math.atan2(dy, dx),
          ph = Math.acos(dz / (r || 1));
        const radius = 36 * (1 + 0.12 * Math.sin(3 * th) * Math.sin(2 * ph) + 0.06 * Math.cos(5 * th));
        const inside = r <= radius;
        if (inside) {
          mask[i] = 1;
          voxels++;
        }
        const tissue = inside
          ? 900 + 250 * Math.sin(x / 6) * Math.cos(y / 8) + 120 * Math.sin(z / 4)
          : 400 + 80 * Math.sin(x / 20);
        img[i] = Math.round(tissue + 60 * (rnd() - 0.5));
      }
    }
  }
  const g = { dims, spacing: [0.8, 0.8, 1.5] as [number, number, number] };
  return { image: makeVolume(img, g), mask: makeVolume(mask, g), voxels };
}
