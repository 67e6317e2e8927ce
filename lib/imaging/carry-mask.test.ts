/**
 * Issue 17 acceptance: carrying the CE-T1 ROI of a demo patient to T2 and back gives the original mask within one
 * voxel of its boundary; CT (another frame of reference) is refused with the reason.
 */
import { describe, expect, it } from "vitest";
import { isNacError } from "@/lib/errors";
import { generatePatient } from "@/lib/synth/generate-patient";
import { carryMask } from "./carry-mask";
import { squaredEdt } from "./distance-transform";

describe("carryMask", () => {
  const p = generatePatient("demo", 2, { dicom: false, nifti: false, seg: false });
  const [ce, t2, ct] = (["CE-T1", "T2", "CT"] as const).map((r) => p.series.find((s) => s.role === r)!);
  const framed = (s: typeof ce) => ({ ...s.volume, frameOfReferenceUid: s.frameOfReferenceUid });

  it("CE-T1 -> T2 -> CE-T1 returns the original within one voxel of its boundary", () => {
    expect(ce.frameOfReferenceUid).toBe(t2.frameOfReferenceUid);
    const onT2 = carryMask(ce.mask, ce, framed(t2));
    expect(onT2.dims).toEqual(t2.volume.dims);
    const back = carryMask(onT2, t2, framed(ce));
    const orig = ce.mask.data;
    // Distance (in voxels, per axis of the CE-T1 grid) of each voxel to the original boundary: a voxel that differs
    // must be within one voxel of a voxel on the other side.
    const inside = squaredEdt(
      Uint8Array.from(orig, (v) => (v ? 0 : 1)),
      ce.mask.dims,
      [1, 1, 1],
    );
    const outside = squaredEdt(orig, ce.mask.dims, [1, 1, 1]);
    let differing = 0,
      count = 0;
    for (let i = 0; i < orig.length; i++) {
      if (orig[i]) count++;
      if (!!orig[i] === !!back.data[i]) continue;
      differing++;
      expect(orig[i] ? inside[i] : outside[i]).toBeLessThanOrEqual(1);
    }
    // Not a trivial pass: the round trip through 3 mm slices does change boundary voxels.
    expect(differing).toBeGreaterThan(0);
    expect(differing).toBeLessThan(0.2 * count);
    // And the carried T2 mask agrees with the generator's own T2 tumour mask.
    let inter = 0,
      a = 0,
      b = 0;
    for (let i = 0; i < onT2.data.length; i++) {
      a += onT2.data[i];
      b += t2.mask.data[i];
      inter += onT2.data[i] & t2.mask.data[i];
    }
    expect((2 * inter) / (a + b)).toBeGreaterThan(0.9);
  });

  it("refuses CT (another frame of reference) and series without one, with the reason", () => {
    expect(ct.frameOfReferenceUid).not.toBe(ce.frameOfReferenceUid);
    for (const [from, to] of [
      [ce, framed(ct)],
      [{ frameOfReferenceUid: null }, framed(t2)],
    ] as const) {
      try {
        carryMask(ce.mask, from, to);
        expect.unreachable();
      } catch (e) {
        expect(isNacError(e) && e.code).toBe("FRAME_OF_REFERENCE_MISMATCH");
        expect((e as Error).message).toMatch(/frame of reference/);
      }
    }
  });

  it("refuses a target whose field of view misses the ROI", () => {
    const far = {
      ...framed(t2),
      origin: [t2.volume.origin[0] + 1000, t2.volume.origin[1], t2.volume.origin[2]] as [number, number, number],
    };
    expect(() => carryMask(ce.mask, ce, far)).toThrow(/field of view/);
  });
});
