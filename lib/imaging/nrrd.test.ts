import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gzipSync } from "fflate";
import { readNrrd, writeNrrd } from "./nrrd";
import { makeVolume, type Volume } from "./volume";

const dir = path.resolve(import.meta.dirname, "../testdata/pyradiomics");
const load = (f: string) => readNrrd(new Uint8Array(readFileSync(path.join(dir, f))));

function countNonZero(v: Volume): number {
  let n = 0;
  for (let i = 0; i < v.data.length; i++) if (v.data[i] !== 0) n++;
  return n;
}

function enc(s: string): Uint8Array {
  return new Uint8Array([...s].map((c) => c.charCodeAt(0)));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const o = new Uint8Array(a.length + b.length);
  o.set(a);
  o.set(b, a.length);
  return o;
}

describe("readNrrd on the pyradiomics test cases", () => {
  it("brain1: dims, spacing, flipped y direction, origin, type and ROI voxel count (README: 4137)", () => {
    const img = load("brain1_image.nrrd");
    expect(img.dims).toEqual([256, 256, 25]);
    expect(img.data).toBeInstanceOf(Int16Array);
    expect(img.spacing).toEqual([0.78124999999999989, 0.78124999999999989, 6.4999999999999982]);
    expect(img.direction).toEqual([1, 0, 0, 0, -1, 0, 0, 0, 1]);
    expect(img.origin).toEqual([-99.609374999999986, 99.609374999999986, -77.999999999999957]);
    const lab = load("brain1_label.nrrd");
    expect(lab.data).toBeInstanceOf(Int32Array);
    expect(countNonZero(lab)).toBe(4137);
  });

  it.each([
    ["brain2_label.nrrd", [256, 256, 23], 453],
    ["breast1_label.nrrd", [45, 120, 21], 143],
    ["lung1_label.nrrd", [512, 512, 48], 837],
    ["lung2_label.nrrd", [512, 512, 61], 24644],
  ] as const)("%s has dims %j and %i ROI voxels", (f, dims, n) => {
    const v = load(f);
    expect(v.dims).toEqual(dims);
    expect(countNonZero(v)).toBe(n);
  });

  it("breast1 spacing 0.664062 x 0.664062 x 2.1", () => {
    expect(load("breast1_image.nrrd").spacing).toEqual([0.664062, 0.664062, 2.1]);
  });
});

describe("writeNrrd / readNrrd round trip", () => {
  const types = [Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array];
  for (const T of types) {
    for (const encoding of ["raw", "gzip"] as const) {
      for (const space of ["LPS", "RAS"] as const) {
        it(`${T.name} ${encoding} ${space}: data and geometry bit-exact`, () => {
          const n = 5 * 4 * 3;
          const data = new T(n);
          for (let i = 0; i < n; i++) data[i] = (i * 37 - 50) * (T === Float32Array || T === Float64Array ? 0.37 : 1);
          const v = makeVolume(data, {
            dims: [5, 4, 3],
            spacing: [0.7, 0.9765625, 2.5000001],
            origin: [-123.456789, 0.1, 1e-7],
            direction: [-1, 0, 0, 0, 0, 1, 0, -1, 0],
          });
          const back = readNrrd(writeNrrd(v, { encoding, space }));
          expect(back.data).toBeInstanceOf(T);
          expect(Array.from(back.data)).toEqual(Array.from(v.data));
          expect(back.dims).toEqual(v.dims);
          expect(back.spacing).toEqual(v.spacing);
          expect(back.origin).toEqual(v.origin);
          expect(back.direction).toEqual(v.direction);
        });
      }
    }
  }

  it("pyradiomics brain1 re-written and re-read is identical", () => {
    const v = load("brain1_image.nrrd");
    const back = readNrrd(writeNrrd(v));
    expect(back.spacing).toEqual(v.spacing);
    expect(back.origin).toEqual(v.origin);
    expect(back.direction).toEqual(v.direction);
    expect(Buffer.from(back.data.buffer).equals(Buffer.from(v.data.buffer))).toBe(true);
  });

  it("oblique directions round trip to 1e-12", () => {
    const c = Math.cos(0.3),
      s = Math.sin(0.3);
    const v = makeVolume(new Float32Array(8), {
      dims: [2, 2, 2],
      spacing: [0.8, 0.8, 3],
      direction: [c, s, 0, -s, c, 0, 0, 0, 1],
    });
    const back = readNrrd(writeNrrd(v));
    back.direction.forEach((d, i) => expect(Math.abs(d - v.direction[i])).toBeLessThan(1e-12));
    back.spacing.forEach((d, i) => expect(Math.abs(d - v.spacing[i])).toBeLessThan(1e-12));
  });
});

describe("readNrrd header handling", () => {
  it("reads big-endian raw data and RAS space, converting to LPS", () => {
    const head = enc(
      "NRRD0004\ntype: short\ndimension: 3\nspace: RAS\nsizes: 2 1 1\n" +
        "space directions: (2,0,0) (0,3,0) (0,0,4)\nendian: big\nencoding: raw\nspace origin: (10,20,30)\n\n",
    );
    const v = readNrrd(concat(head, new Uint8Array([0x01, 0x02, 0xff, 0xfe])));
    expect(Array.from(v.data)).toEqual([0x0102, -2]);
    expect(v.spacing).toEqual([2, 3, 4]);
    expect(v.direction).toEqual([-1, 0, 0, 0, -1, 0, 0, 0, 1]);
    expect(v.origin).toEqual([-10, -20, 30]);
  });

  it("reads ascii encoding and spacings without a space", () => {
    const v = readNrrd(
      enc(
        "NRRD0001\ntype: float\ndimension: 3\nsizes: 2 2 1\nspacings: 0.5 0.25 NaN\nencoding: ascii\n\n1 2.5\n3 -4\n",
      ),
    );
    expect(Array.from(v.data)).toEqual([1, 2.5, 3, -4]);
    expect(v.spacing).toEqual([0.5, 0.25, 1]);
  });

  it("reads a 2D image as one slice with a right-handed normal", () => {
    const head = enc(
      "NRRD0004\ntype: uint8\ndimension: 2\nspace: LPS\nsizes: 2 2\nspace directions: (1,0,0) (0,1,0)\nencoding: gzip\n\n",
    );
    const v = readNrrd(concat(head, gzipSync(new Uint8Array([1, 2, 3, 4]))));
    expect(v.dims).toEqual([2, 2, 1]);
    expect(v.direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it.each([
    ["not nrrd", enc("P5\n2 2\n255\n\n")],
    ["truncated raw", enc("NRRD0004\ntype: short\ndimension: 3\nsizes: 4 4 4\nencoding: raw\n\n\x01\x02")],
    ["bad gzip", enc("NRRD0004\ntype: short\ndimension: 3\nsizes: 4 4 4\nencoding: gzip\n\n\x1f\x8bxxxx")],
    ["vector image", enc("NRRD0004\ntype: float\ndimension: 4\nsizes: 3 2 2 2\nencoding: raw\n\n")],
    ["detached", enc("NRRD0004\ntype: float\ndimension: 3\nsizes: 2 2 2\ndata file: x.raw\nencoding: raw\n\n")],
    ["no blank line", enc("NRRD0004\ntype: float\ndimension: 3")],
    ["int64", enc("NRRD0004\ntype: int64\ndimension: 3\nsizes: 1 1 1\nencoding: raw\n\n12345678")],
  ])("%s -> IMAGE_FORMAT_INVALID", (_name, bytes) => {
    expect(() => readNrrd(bytes)).toThrow(expect.objectContaining({ code: "IMAGE_FORMAT_INVALID" }));
  });
});
