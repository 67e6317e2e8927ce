/**
 * The prepared region of interest every feature family reads: the processed image cropped to the bounding box of
 * the morphological mask (plus a margin for neighbourhood features), the two IBSI masks on that box, and a handle on
 * the full processed image for local-intensity spheres that reach beyond the box.
 */
import type { Vec3, Volume } from "@/lib/imaging/volume";
import { NacError } from "@/lib/errors/nac-error";
import { maskBoundingBox } from "@/lib/imaging/mask-bbox";

export interface RoiBox {
  /** Box size in voxels and voxel spacing in mm (x, y, z). */
  dims: Vec3;
  spacing: Vec3;
  /** Index of box voxel (0,0,0) in the full image grid. */
  offset: Vec3;
  /** Image intensities on the box. */
  values: Float64Array;
  /** Morphological mask (shape features) and intensity mask (after re-segmentation), 1 = in the ROI. */
  morph: Uint8Array;
  intensity: Uint8Array;
  /** The full processed image (same grid as the box's parent). */
  image: Volume;
}

export interface BoundingBox {
  lo: Vec3;
  hi: Vec3; // inclusive
  count: number;
}

/** Bounding box of the voxels equal to `label` (any non-zero voxel when label is null). */
export function boundingBox(mask: Uint8Array, dims: Vec3, label: number | null = null): BoundingBox {
  const box = maskBoundingBox({ data: mask, dims }, label ?? undefined);
  if (!box) throw new NacError("MASK_EMPTY", "the ROI mask is empty");
  return box;
}

/**
 * Crop image and mask to the ROI's bounding box (no margin: neighbourhood families read `image` directly). The ROI is
 * the voxels equal to `label`, or every non-zero voxel when label is null.
 */
export function cropToRoi(image: Volume, mask: Uint8Array, label: number | null = null): RoiBox {
  const bb = boundingBox(mask, image.dims, label);
  const [nx, ny] = image.dims;
  const dims: Vec3 = [bb.hi[0] - bb.lo[0] + 1, bb.hi[1] - bb.lo[1] + 1, bb.hi[2] - bb.lo[2] + 1];
  const n = dims[0] * dims[1] * dims[2];
  const values = new Float64Array(n);
  const morph = new Uint8Array(n);
  for (let z = 0, o = 0; z < dims[2]; z++) {
    for (let y = 0; y < dims[1]; y++) {
      let src = bb.lo[0] + nx * (bb.lo[1] + y + ny * (bb.lo[2] + z));
      for (let x = 0; x < dims[0]; x++, o++, src++) {
        values[o] = image.data[src];
        morph[o] = (label === null ? mask[src] !== 0 : mask[src] === label) ? 1 : 0;
      }
    }
  }
  return { dims, spacing: [...image.spacing] as Vec3, offset: bb.lo, values, morph, intensity: morph.slice(), image };
}

/** Intensities of the voxels in a box mask, in box order. */
export function maskedValues(values: Float64Array, mask: Uint8Array): Float64Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) n++;
  const out = new Float64Array(n);
  for (let i = 0, k = 0; i < mask.length; i++) if (mask[i]) out[k++] = values[i];
  return out;
}
