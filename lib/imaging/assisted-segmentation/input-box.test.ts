/**
 * growTumourMaskInputBox: growTumourMask on that box of the image alone gives the same mask as on the whole image
 * (the viewer relies on it to assemble only the box from its cached slices).
 */
import { describe, expect, it } from "vitest";
import { generatePatient } from "@/lib/synth/generate-patient";
import { indexToLps } from "../geometry";
import { makeVolume, type Vec3, type Volume } from "../volume";
import { deepestVoxel } from "./click-protocol.testutil";
import { growTumourMask, growTumourMaskInputBox, type TumourSeeds } from "./grow-tumour-mask";
import type { LesionPolarity } from "./grow-tumour-mask";

function crop(v: Volume, lo: Vec3, hi: Vec3): Volume<Float32Array> {
  const size = [0, 1, 2].map((a) => hi[a] - lo[a] + 1) as Vec3;
  const data = new Float32Array(size[0] * size[1] * size[2]);
  const [nx, ny] = v.dims;
  for (let z = 0, p = 0; z < size[2]; z++)
    for (let y = 0; y < size[1]; y++)
      for (let x = 0; x < size[0]; x++, p++) data[p] = v.data[x + lo[0] + nx * (y + lo[1] + ny * (z + lo[2]))];
  return makeVolume(data, { ...v, dims: size, origin: indexToLps(v, lo) });
}

describe("growTumourMaskInputBox", () => {
  const p = generatePatient("demo", 3, { dicom: false, nifti: false, seg: false });
  const s = p.series.find((x) => x.role === "CE-T1")!;
  const v = s.volume;
  const centre = deepestVoxel(s.mask.data, s.mask)!;
  const cases: [string, TumourSeeds, LesionPolarity][] = [
    ["one click in the tumour", { foreground: [centre] }, "bright"],
    [
      "clicks with a near and a far background seed",
      {
        foreground: [centre, [centre[0] + 2, centre[1], centre[2]]],
        background: [
          [centre[0] + 25, centre[1], centre[2]],
          [v.dims[0] - 1 - centre[0] > centre[0] ? v.dims[0] - 1 : 0, centre[1], centre[2]],
        ],
      },
      "bright",
    ],
    ["a dark click near the image corner (the block reaches the border)", { foreground: [[6, 6, 3]] }, "dark"],
  ];
  it.each(cases)("%s: the same mask as on the whole image", (_, seeds, polarity) => {
    const { lo, hi } = growTumourMaskInputBox(v, seeds);
    // the box is smaller than the image in-plane (a 60 mm block on a 180 mm field of view)
    expect(hi[0] - lo[0] + 1).toBeLessThan(v.dims[0]);
    const whole = growTumourMask(v, seeds, { polarity });
    const shift = (s: Vec3) => s.map((c, a) => c - lo[a]) as Vec3;
    const boxed = growTumourMask(
      crop(v, lo, hi),
      { foreground: seeds.foreground.map(shift), background: seeds.background?.map(shift) },
      { polarity },
    );
    expect(boxed.voxelCount).toBe(whole.voxelCount);
    expect(boxed.threshold).toBe(whole.threshold);
    const [nx, ny] = v.dims;
    const [bx, by] = boxed.mask.dims;
    let same = 0;
    for (let q = 0; q < boxed.mask.data.length; q++) {
      if (!boxed.mask.data[q]) continue;
      const x = q % bx,
        y = ((q / bx) | 0) % by,
        z = (q / (bx * by)) | 0;
      if (whole.mask.data[x + lo[0] + nx * (y + lo[1] + ny * (z + lo[2]))]) same++;
    }
    expect(same).toBe(whole.voxelCount);
  });
});
