/**
 * Bounding box and cropping of label masks. The scan skips empty 4-voxel words, so finding a small tumour in a
 * 512x512x160 mask costs about a quarter of a byte-wise pass.
 */
import type { Mask, Vec3 } from "./volume";

export interface MaskBox {
  /** Inclusive voxel-index bounds. */
  lo: Vec3;
  hi: Vec3;
  count: number;
}

/** Bounding box of voxels with value `label` (or any non-zero value when label is undefined); null when empty. */
export function maskBoundingBox(mask: Pick<Mask, "data" | "dims">, label?: number): MaskBox | null {
  const { data, dims } = mask;
  const [nx, ny, nz] = dims;
  const lo: Vec3 = [nx, ny, nz],
    hi: Vec3 = [-1, -1, -1];
  let count = 0;
  const aligned = data.byteOffset % 4 === 0;
  const words = aligned ? new Uint32Array(data.buffer, data.byteOffset, data.length >>> 2) : null;
  const visit = (i: number) => {
    const v = data[i];
    if (v === 0 || (label !== undefined && v !== label)) return;
    count++;
    const x = i % nx,
      j = Math.floor(i / nx) % ny,
      k = Math.floor(i / (nx * ny));
    if (x < lo[0]) lo[0] = x;
    if (x > hi[0]) hi[0] = x;
    if (j < lo[1]) lo[1] = j;
    if (j > hi[1]) hi[1] = j;
    if (k < lo[2]) lo[2] = k;
    if (k > hi[2]) hi[2] = k;
  };
  if (words) {
    for (let w = 0; w < words.length; w++) {
      if (words[w] === 0) continue;
      const b = w << 2;
      visit(b);
      visit(b + 1);
      visit(b + 2);
      visit(b + 3);
    }
    for (let i = words.length << 2; i < data.length; i++) visit(i);
  } else {
    for (let i = 0; i < data.length; i++) visit(i);
  }
  return count === 0 ? null : { lo, hi, count };
}

/**
 * Binary (0/1) copy of the box [lo, lo + size) of a mask, keeping `label` (or any non-zero value).
 * Parts of the box outside the mask are 0.
 */
export function cropBinary(mask: Pick<Mask, "data" | "dims">, lo: Vec3, size: Vec3, label?: number): Uint8Array {
  const [nx, ny, nz] = mask.dims;
  const out = new Uint8Array(size[0] * size[1] * size[2]);
  for (let k = 0; k < size[2]; k++) {
    const z = k + lo[2];
    if (z < 0 || z >= nz) continue;
    for (let j = 0; j < size[1]; j++) {
      const y = j + lo[1];
      if (y < 0 || y >= ny) continue;
      const dst = (k * size[1] + j) * size[0];
      for (let i = 0; i < size[0]; i++) {
        const x = i + lo[0];
        if (x < 0 || x >= nx) continue;
        const v = mask.data[(z * ny + y) * nx + x];
        out[dst + i] = v !== 0 && (label === undefined || v === label) ? 1 : 0;
      }
    }
  }
  return out;
}

/** Which label values 1..255 occur in the mask (index = label), skipping empty 4-voxel words. */
export function labelsPresent(data: Uint8Array): Uint8Array {
  const present = new Uint8Array(256);
  const nWords = data.byteOffset % 4 === 0 ? data.length >>> 2 : 0;
  const words = nWords > 0 ? new Uint32Array(data.buffer, data.byteOffset, nWords) : new Uint32Array(0);
  for (let w = 0; w < nWords; w++) {
    if (words[w] === 0) continue;
    const b = w << 2;
    present[data[b]] = 1;
    present[data[b + 1]] = 1;
    present[data[b + 2]] = 1;
    present[data[b + 3]] = 1;
  }
  for (let i = nWords << 2; i < data.length; i++) present[data[i]] = 1;
  present[0] = 0;
  return present;
}
