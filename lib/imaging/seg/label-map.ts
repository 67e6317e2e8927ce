/**
 * Conversions between per-segment binary masks and a single label map (value = segment number), as used by
 * `nac mask convert`. Overlapping segments cannot share one label map: that is DATA_INVALID (pick one segment, or
 * write a SEG, which keeps overlaps).
 */
import { NacError } from "../../errors/nac-error";
import { sameGeometry } from "../geometry";
import { makeVolume, type Mask } from "../volume";

export interface NamedMask {
  number: number;
  label: string;
  mask: Mask;
}

export function voxelsInMask(mask: Mask): number {
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) n++;
  return n;
}

/** Label map -> one binary mask per distinct non-zero label (ascending). */
export function splitLabelMap(labels: Mask): NamedMask[] {
  const present = new Set<number>();
  for (let i = 0; i < labels.data.length; i++) if (labels.data[i]) present.add(labels.data[i]);
  return [...present]
    .sort((a, b) => a - b)
    .map((v) => {
      const m = new Uint8Array(labels.data.length);
      for (let i = 0; i < m.length; i++) if (labels.data[i] === v) m[i] = 1;
      return { number: v, label: `Label ${v}`, mask: makeVolume(m, labels) };
    });
}

/** Binary masks -> label map with value = segment number. */
export function mergeToLabelMap(segments: NamedMask[]): Mask {
  if (!segments.length) throw new NacError("MASK_EMPTY", "no segments to write");
  const g = segments[0].mask;
  const out = new Uint8Array(g.data.length);
  for (const s of segments) {
    if (!(s.number >= 1 && s.number <= 255 && Number.isInteger(s.number))) {
      throw new NacError("DATA_INVALID", `segment number ${s.number} does not fit an 8-bit label map`);
    }
    if (!sameGeometry(s.mask, g))
      throw new NacError("GEOMETRY_MISMATCH", `segment "${s.label}" is on a different grid`);
    const d = s.mask.data;
    for (let i = 0; i < d.length; i++) {
      if (!d[i]) continue;
      if (out[i] && out[i] !== s.number) {
        throw new NacError(
          "DATA_INVALID",
          `segments ${out[i]} and ${s.number} overlap; a label map holds one label per voxel (choose one with --segment, or write a .dcm SEG)`,
        );
      }
      out[i] = s.number;
    }
  }
  return makeVolume(out, g);
}
