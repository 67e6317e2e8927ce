import { existsSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { geometryDifferences } from "../geometry";
import { writeNifti } from "../nifti";
import { writeNrrd } from "../nrrd";
import { makeVolume, type Volume } from "../volume";
import { loadMask, loadVolume } from "./load-volume";

const repo = path.resolve(import.meta.dirname, "../../..");
const pyr = path.join(repo, "lib/testdata/pyradiomics");
const tmp = mkdtempSync(path.join(os.tmpdir(), "nac-load-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sum = (v: Volume) => {
  let s = 0;
  for (let i = 0; i < v.data.length; i++) s += v.data[i];
  return s;
};

describe("loadVolume / loadMask", () => {
  it("loads NRRD and NIfTI by content", async () => {
    const v = await loadVolume(path.join(pyr, "breast1_image.nrrd"));
    expect(v.dims).toEqual([45, 120, 21]);
    const n = await loadVolume(path.join(repo, "lib/testdata/ibsi-digital-phantom/nifti/image/phantom.nii.gz"));
    expect(sum(n)).toBe(173);
    // Content wins over a misleading extension.
    const f = path.join(tmp, "really-nifti.nrrd");
    writeFileSync(f, writeNifti(n));
    expect(sum(await loadVolume(f))).toBe(173);
  });

  it("loads a detached NRRD header (.nhdr) with its gzip data file", async () => {
    const v = makeVolume(
      Int16Array.from({ length: 24 }, (_, i) => i * 3 - 7),
      { dims: [4, 3, 2], spacing: [0.5, 0.6, 2] },
    );
    const attached = writeNrrd(v, { encoding: "gzip" });
    const text = new TextDecoder("latin1").decode(attached);
    const split = text.indexOf("\n\n") + 2;
    writeFileSync(path.join(tmp, "img.raw.gz"), attached.subarray(split));
    writeFileSync(path.join(tmp, "img.nhdr"), text.slice(0, split - 1) + "data file: img.raw.gz\n");
    const back = await loadVolume(path.join(tmp, "img.nhdr"));
    expect(Array.from(back.data)).toEqual(Array.from(v.data));
    expect(back.spacing).toEqual([0.5, 0.6, 2]);
  });

  it("mask on the image grid loads as Uint8 snapped to the reference geometry", async () => {
    const img = await loadVolume(path.join(pyr, "brain1_image.nrrd"));
    const m = await loadMask(path.join(pyr, "brain1_label.nrrd"), img);
    expect(m.data).toBeInstanceOf(Uint8Array);
    expect(m.origin).toEqual(img.origin);
    let n = 0;
    for (let i = 0; i < m.data.length; i++) if (m.data[i]) n++;
    expect(n).toBe(4137);
  });

  it("geometry mismatch -> GEOMETRY_MISMATCH naming the difference, or resampled when asked", async () => {
    const ref = makeVolume(new Int16Array(10 * 10 * 4), { dims: [10, 10, 4], spacing: [1, 1, 2] });
    const mask = makeVolume(new Uint8Array(10 * 10 * 4), { dims: [10, 10, 4], spacing: [1, 1, 2], origin: [2, 0, 0] });
    mask.data[5 + 5 * 10 + 2 * 100] = 1;
    const f = path.join(tmp, "shifted.nii.gz");
    writeFileSync(f, writeNifti(mask, { gzip: true }));
    await expect(loadMask(f, ref)).rejects.toMatchObject({
      code: "GEOMETRY_MISMATCH",
      message: expect.stringMatching(/origin .*2 mm apart/),
    });
    const r = await loadMask(f, ref, { resampleToReference: true });
    expect(geometryDifferences(r, ref)).toEqual([]);
    expect(r.data[7 + 5 * 10 + 2 * 100]).toBe(1); // shifted by +2 voxels along x
    let n = 0;
    for (let i = 0; i < r.data.length; i++) if (r.data[i]) n++;
    expect(n).toBe(1);
  });

  it("non-label mask values and missing files are clear errors", async () => {
    const f = path.join(tmp, "prob.nrrd");
    writeFileSync(f, writeNrrd(makeVolume(new Float32Array([0, 0.4, 1, 1]), { dims: [2, 2, 1] })));
    await expect(loadMask(f)).rejects.toMatchObject({ code: "DATA_INVALID" });
    await expect(loadVolume(path.join(tmp, "nope.nii"))).rejects.toMatchObject({ code: "NOT_FOUND" });
    const junk = path.join(tmp, "junk.bin");
    writeFileSync(junk, "hello");
    await expect(loadVolume(junk)).rejects.toMatchObject({ code: "UNSUPPORTED_MEDIA" });
  });

  const ct = path.resolve(repo, "../shared/data/ibsi/ct_phantom");
  const haveCt = existsSync(ct);
  if (!haveCt) console.warn(`IBSI CT phantom absent at ${ct}: skipping the DICOM-folder load test`);
  it.skipIf(!haveCt)("IBSI CT phantom: DICOM folder equals the NIfTI (same grid, same sum)", async () => {
    const d = await loadVolume(path.join(ct, "dicom/image"));
    const n = await loadVolume(path.join(ct, "nifti/image/phantom.nii.gz"));
    expect(d.dims).toEqual(n.dims);
    expect(geometryDifferences(d, n)).toEqual([]);
    expect(sum(d)).toBe(sum(n));
  });
});
