import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gunzipSync } from "fflate";
import { float32ToShortestDecimal, readNifti, writeNifti } from "./nifti";
import { makeVolume, type Volume } from "./volume";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const digital = path.join(repoRoot, "lib/testdata/ibsi-digital-phantom/nifti");
const ctPhantom = path.resolve(repoRoot, "../shared/data/ibsi/ct_phantom/nifti");

interface NibabelRef {
  shape_xyz: number[];
  voxel_spacing: number[];
  affine: number[][];
  sum: number;
  nonzero_count: number;
}

function sum(v: Volume): number {
  let s = 0;
  for (let i = 0; i < v.data.length; i++) s += v.data[i];
  return s;
}

/** LPS geometry -> nibabel's RAS affine, for comparison with the reference JSONs. */
function rasAffine(v: Volume): number[][] {
  const flip = [-1, -1, 1];
  return [0, 1, 2].map((r) => [
    ...[0, 1, 2].map((c) => flip[r] * v.direction[c * 3 + r] * v.spacing[c]),
    flip[r] * v.origin[r],
  ]);
}

function checkAgainstNibabel(file: string, tol: number) {
  const v = readNifti(new Uint8Array(readFileSync(file)));
  const ref = JSON.parse(readFileSync(`${file}.json`, "utf8")) as NibabelRef;
  expect(v.dims).toEqual(ref.shape_xyz);
  v.spacing.forEach((s, i) => expect(Math.abs(s - ref.voxel_spacing[i])).toBeLessThan(tol));
  const A = rasAffine(v);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 4; c++) expect(Math.abs(A[r][c] - ref.affine[r][c])).toBeLessThan(tol);
  expect(Math.abs(sum(v) - ref.sum)).toBeLessThanOrEqual(Math.abs(ref.sum) * 1e-7);
  let nz = 0;
  for (let i = 0; i < v.data.length; i++) if (v.data[i] !== 0) nz++;
  expect(nz).toBe(ref.nonzero_count);
  return v;
}

describe("readNifti vs nibabel reference values", () => {
  it("IBSI digital phantom image (int16, 2 mm) and mask (74 voxels)", () => {
    const img = checkAgainstNibabel(path.join(digital, "image/phantom.nii.gz"), 1e-12);
    expect(img.data).toBeInstanceOf(Int16Array);
    checkAgainstNibabel(path.join(digital, "mask/mask.nii.gz"), 1e-12);
  });

  const haveCt = existsSync(ctPhantom);
  if (!haveCt) console.warn(`IBSI CT phantom absent at ${ctPhantom}: skipping the CT phantom NIfTI checks`);
  describe.skipIf(!haveCt)("IBSI CT phantom (../shared)", () => {
    it("image: 204x201x60 float32, spacing 0.977x0.977x3, affine and sum as nibabel (float32 tolerance)", () => {
      const v = checkAgainstNibabel(path.join(ctPhantom, "image/phantom.nii.gz"), 1e-5);
      expect(v.spacing[0]).toBe(0.977); // float32 0.977 read as the decimal it came from
    });
    it("mask: 125256 voxels", () => {
      checkAgainstNibabel(path.join(ctPhantom, "mask/mask.nii.gz"), 1e-5);
    });
  });
});

describe("writeNifti / readNifti round trip", () => {
  const types = [Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array];
  for (const T of types) {
    for (const gzip of [false, true]) {
      it(`${T.name} gzip=${gzip}: data bit-exact, geometry bit-exact for decimal-valued geometry`, () => {
        const n = 4 * 3 * 5;
        const data = new T(n);
        for (let i = 0; i < n; i++) data[i] = (i * 29 - 40) * (T === Float32Array || T === Float64Array ? 0.37 : 1);
        const v = makeVolume(data, {
          dims: [4, 3, 5],
          spacing: [0.7, 0.9765625, 2.5],
          origin: [-123.456, 17.3, -0.1],
          direction: [1, 0, 0, 0, -1, 0, 0, 0, -1],
        });
        const back = readNifti(writeNifti(v, { gzip }));
        expect(back.data).toBeInstanceOf(T);
        expect(Array.from(back.data)).toEqual(Array.from(v.data));
        expect(back.dims).toEqual(v.dims);
        expect(back.spacing).toEqual(v.spacing);
        expect(back.origin).toEqual(v.origin);
        expect(back.direction).toEqual(v.direction);
      });
    }
  }

  it("oblique geometry: sform and qform each reproduce it to float32 precision", () => {
    const a = 0.4,
      b = -0.25;
    // Rotation about z then x, with the third axis reflected (left-handed: qfac = -1).
    const cz = Math.cos(a),
      sz = Math.sin(a),
      cx = Math.cos(b),
      sx = Math.sin(b);
    const dirI = [cz, sz, 0];
    const dirJ = [-sz * cx, cz * cx, sx];
    const dirK = [-(sz * sx), cz * sx, -cx]; // = -(dirI x dirJ)
    const v = makeVolume(new Float32Array(8).fill(1), {
      dims: [2, 2, 2],
      spacing: [0.8, 0.6, 3.3],
      origin: [10.5, -20.25, 30],
      direction: [...dirI, ...dirJ, ...dirK] as Volume["direction"],
    });
    const bytes = writeNifti(v);
    const viaSform = readNifti(bytes);
    const qOnly = bytes.slice();
    new DataView(qOnly.buffer).setInt16(254, 0, true); // sform_code = 0 -> qform path
    const viaQform = readNifti(qOnly);
    for (const r of [viaSform, viaQform]) {
      r.direction.forEach((d, i) => expect(Math.abs(d - v.direction[i])).toBeLessThan(1e-6));
      r.spacing.forEach((d, i) => expect(Math.abs(d - v.spacing[i])).toBeLessThan(1e-6));
      r.origin.forEach((d, i) => expect(Math.abs(d - v.origin[i])).toBeLessThan(1e-5));
    }
    const emptySform = bytes.slice();
    for (let o = 280; o < 328; o += 4) new DataView(emptySform.buffer).setFloat32(o, 0, true); // sform_code 1, srow zero
    const viaEmptySform = readNifti(emptySform);
    viaEmptySform.direction.forEach((d, i) => expect(Math.abs(d - v.direction[i])).toBeLessThan(1e-6));
    const noXform = bytes.slice();
    new DataView(noXform.buffer).setInt16(252, 0, true);
    new DataView(noXform.buffer).setInt16(254, 0, true);
    const viaPixdim = readNifti(noXform);
    expect(viaPixdim.spacing).toEqual([0.8, 0.6, 3.3]);
    expect(viaPixdim.origin).toEqual([0, 0, 0]);
    expect(viaPixdim.direction).toEqual([-1, 0, 0, 0, -1, 0, 0, 0, 1]); // RAS identity seen in LPS
  });

  it("applies scl_slope / scl_inter (integer -> Int32, fractional -> Float32)", () => {
    const v = makeVolume(new Int16Array([0, 1, 2, -3]), { dims: [2, 2, 1] });
    const bytes = writeNifti(v);
    const dv = new DataView(bytes.buffer);
    dv.setFloat32(112, 2, true);
    dv.setFloat32(116, -1024, true);
    const s1 = readNifti(bytes);
    expect(s1.data).toBeInstanceOf(Int32Array);
    expect(Array.from(s1.data)).toEqual([-1024, -1022, -1020, -1030]);
    dv.setFloat32(112, 0.5, true);
    dv.setFloat32(116, 0.25, true);
    const s2 = readNifti(bytes);
    expect(s2.data).toBeInstanceOf(Float32Array);
    expect(Array.from(s2.data)).toEqual([0.25, 0.75, 1.25, -1.25]);
  });

  it("is readable by a gzip reader and starts with sizeof_hdr 348 / magic n+1", () => {
    const raw = gunzipSync(writeNifti(makeVolume(new Uint8Array(1), { dims: [1, 1, 1] }), { gzip: true }));
    expect(new DataView(raw.buffer).getInt32(0, true)).toBe(348);
    expect(String.fromCharCode(raw[344], raw[345], raw[346])).toBe("n+1");
  });

  it("rejects malformed input with IMAGE_FORMAT_INVALID", () => {
    const good = writeNifti(makeVolume(new Int16Array(8), { dims: [2, 2, 2] }));
    const cases = [
      new Uint8Array(10),
      good.slice(0, 360), // truncated data
      (() => {
        const b = good.slice();
        new DataView(b.buffer).setInt16(70, 32, true);
        return b;
      })(), // complex
      (() => {
        const b = good.slice();
        new DataView(b.buffer).setInt16(40, 4, true);
        new DataView(b.buffer).setInt16(48, 3, true);
        return b;
      })(), // 4D
      new Uint8Array([0x1f, 0x8b, 1, 2, 3]),
    ];
    for (const c of cases)
      expect(() => readNifti(c)).toThrow(expect.objectContaining({ code: "IMAGE_FORMAT_INVALID" }));
  });
});

describe("float32ToShortestDecimal", () => {
  it("recovers short decimals and leaves exact values alone", () => {
    expect(float32ToShortestDecimal(Math.fround(0.977))).toBe(0.977);
    expect(float32ToShortestDecimal(Math.fround(-100.4))).toBe(-100.4);
    expect(float32ToShortestDecimal(0.78125)).toBe(0.78125);
    const x = Math.fround(1 / 3);
    expect(Math.fround(float32ToShortestDecimal(x))).toBe(x);
  });
});

describe("nibabel-written fixtures (lib/imaging/testdata/make-nifti-fixtures.py)", () => {
  const fx = path.join(import.meta.dirname, "testdata");
  const ref = JSON.parse(readFileSync(path.join(fx, "nifti-nibabel.json"), "utf8")) as Record<
    string,
    { affine: number[][]; data_fortran: number[] }
  >;
  it.each([
    ["oblique-be.nii", 1e-6], // big-endian NIfTI-1, qform only (float32 quaternion)
    ["oblique-n2.nii", 1e-12], // NIfTI-2, float64 sform
  ])("%s: data and affine as nibabel reads them", (file, tol) => {
    const v = readNifti(new Uint8Array(readFileSync(path.join(fx, file))));
    expect(Array.from(v.data)).toEqual(ref[file].data_fortran);
    const A = rasAffine(v);
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 4; c++) {
        expect(Math.abs(A[r][c] - ref[file].affine[r][c])).toBeLessThan(
          tol * Math.max(1, Math.abs(ref[file].affine[r][c])),
        );
      }
  });
});
