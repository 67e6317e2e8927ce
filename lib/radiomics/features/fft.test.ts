import { describe, expect, it } from "vitest";
import { fft3d, nextSmooth } from "./fft";

function naiveDft3d(re: Float64Array, im: Float64Array, d: [number, number, number]): [Float64Array, Float64Array] {
  const n = re.length,
    outR = new Float64Array(n),
    outI = new Float64Array(n);
  for (let kz = 0; kz < d[2]; kz++)
    for (let ky = 0; ky < d[1]; ky++)
      for (let kx = 0; kx < d[0]; kx++) {
        let sr = 0,
          si = 0;
        for (let z = 0; z < d[2]; z++)
          for (let y = 0; y < d[1]; y++)
            for (let x = 0; x < d[0]; x++) {
              const a = -2 * Math.PI * ((kx * x) / d[0] + (ky * y) / d[1] + (kz * z) / d[2]);
              const i = x + d[0] * (y + d[1] * z);
              sr += re[i] * Math.cos(a) - im[i] * Math.sin(a);
              si += re[i] * Math.sin(a) + im[i] * Math.cos(a);
            }
        const o = kx + d[0] * (ky + d[1] * kz);
        outR[o] = sr;
        outI[o] = si;
      }
  return [outR, outI];
}

describe("fft3d", () => {
  it.each([
    [[6, 5, 4]],
    [[9, 10, 1]],
    [[16, 3, 2]],
    [[15, 8, 5]],
    [[7, 11, 1]],
    [[13, 2, 3]],
    [[1, 1, 97]],
    [[14, 1, 1]],
  ] as [[number, number, number]][])("matches a naive DFT for dims %j and inverts", (d) => {
    const n = d[0] * d[1] * d[2];
    let s = 1;
    const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
    const re = Float64Array.from({ length: n }, rnd),
      im = Float64Array.from({ length: n }, rnd);
    const [er, ei] = naiveDft3d(re, im, d);
    const r = re.slice(),
      i = im.slice();
    fft3d(r, i, d, false);
    for (let k = 0; k < n; k++) {
      expect(r[k]).toBeCloseTo(er[k], 9);
      expect(i[k]).toBeCloseTo(ei[k], 9);
    }
    fft3d(r, i, d, true);
    for (let k = 0; k < n; k++) {
      expect(r[k]).toBeCloseTo(re[k], 12);
      expect(i[k]).toBeCloseTo(im[k], 12);
    }
  });
  it("pads to 5-smooth sizes", () => {
    expect(nextSmooth(179)).toBe(180);
    expect(nextSmooth(7)).toBe(8);
    expect(nextSmooth(1)).toBe(1);
    expect(nextSmooth(121)).toBe(125);
  });
});
