/** Malformed NRRD / NIfTI input never crashes with a non-NacError: header bytes flipped, files truncated. */
import { gzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { isNacError } from "../errors";
import { readNifti, writeNifti } from "./nifti";
import { readNrrd, writeNrrd } from "./nrrd";
import { makeVolume } from "./volume";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function outcome(read: (b: Uint8Array) => unknown, bytes: Uint8Array): "ok" | "nac" | string {
  try {
    read(bytes);
    return "ok";
  } catch (e) {
    return isNacError(e) ? "nac" : `${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe("codec robustness", () => {
  const vol = makeVolume(
    Int16Array.from({ length: 6 * 5 * 4 }, (_, i) => i - 40),
    { dims: [6, 5, 4], spacing: [0.7, 0.8, 2] },
  );
  const inputs: [string, (b: Uint8Array) => unknown, Uint8Array, number, number][] = [
    ["nrrd raw", readNrrd, writeNrrd(vol, { encoding: "raw" }), 300, 400],
    ["nrrd gzip", readNrrd, writeNrrd(vol, { encoding: "gzip" }), 300, 200],
    ["nifti", readNifti, writeNifti(vol), 352, 400],
    ["nifti gz", readNifti, writeNifti(vol, { gzip: true }), 40, 100],
  ];
  for (const [name, read, good, headerLen, mutations] of inputs) {
    it(`${name}: ${mutations} header mutations and every truncation give a Volume or a NacError`, () => {
      const r = rng(name.length * 7919);
      const bad: string[] = [];
      for (let t = 0; t < mutations; t++) {
        const b = good.slice();
        const flips = 1 + Math.floor(r() * 3);
        for (let f = 0; f < flips; f++) b[Math.floor(r() * Math.min(headerLen, b.length))] = Math.floor(r() * 256);
        const o = outcome(read, b);
        if (o !== "ok" && o !== "nac") bad.push(o);
      }
      for (let len = 0; len < good.length; len += Math.max(1, Math.floor(good.length / 97))) {
        const o = outcome(read, good.subarray(0, len));
        if (o === "ok") bad.push(`truncated to ${len} bytes was accepted`);
        else if (o !== "nac") bad.push(o);
      }
      expect(bad).toEqual([]);
    });
  }

  it("concatenated gzip members (e.g. bgzip) are read whole", () => {
    const raw = writeNifti(vol);
    const a = gzipSync(raw.subarray(0, 200)),
      b = gzipSync(raw.subarray(200));
    const cat = new Uint8Array(a.length + b.length);
    cat.set(a);
    cat.set(b, a.length);
    expect(Array.from(readNifti(cat).data)).toEqual(Array.from(vol.data));
  });

  it("a NIfTI vox_offset pointing into the header is rejected, not read from the wrong place", () => {
    const b = writeNifti(vol);
    new DataView(b.buffer).setFloat32(108, -4, true);
    expect(() => readNifti(b)).toThrow(expect.objectContaining({ code: "IMAGE_FORMAT_INVALID" }));
  });
});
