import { describe, expect, it } from "vitest";
import { selectRows } from "../matrix";
import { Booster } from "./booster";
import { fixtureList, loadFixture } from "./testdata/load";

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe("inference on XGBoost 1.7.4 fixture models (JSON and UBJSON)", () => {
  for (const { dataset, config } of fixtureList()) {
    it(`${dataset} / ${config}: margins, probabilities, leaf indices, SHAP`, () => {
      const fx = loadFixture(dataset, config);
      const b = Booster.fromJSON(fx.modelJson);
      const margin = b.predictMargin(fx.X);
      expect(maxAbs(margin, fx.expected.margin)).toBeLessThan(1e-6);
      expect(maxAbs(b.predict(fx.X), fx.expected.prob)).toBeLessThan(1e-6);
      expect(Array.from(b.predictLeaf(fx.X))).toEqual(fx.expected.leaf.flat());

      const n = fx.expected.contribs_rows;
      const rows = selectRows(
        fx.X,
        Array.from({ length: n }, (_, i) => i),
      );
      const phi = b.predictContribs(rows);
      expect(maxAbs(phi, fx.expected.contribs.flat())).toBeLessThan(1e-5);
      const C = fx.X.cols + 1;
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let k = 0; k < C; k++) s += phi[r * C + k];
        expect(Math.abs(s - margin[r])).toBeLessThan(1e-5);
      }

      if (fx.modelUbj) {
        const u = Booster.load(fx.modelUbj);
        expect(maxAbs(u.predictMargin(fx.X), fx.expected.margin)).toBeLessThan(1e-6);
        expect(Array.from(u.predictLeaf(fx.X))).toEqual(fx.expected.leaf.flat());
      }
    });
  }

  it("Booster.load tells JSON bytes from UBJSON bytes", () => {
    const fx = loadFixture("wide", "exact_default");
    const fromBytes = Booster.load(new TextEncoder().encode(fx.modelJson));
    expect(maxAbs(fromBytes.predictMargin(fx.X), fx.expected.margin)).toBeLessThan(1e-6);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(fx.modelJson)]);
    expect(maxAbs(Booster.load(bom).predictMargin(fx.X), fx.expected.margin)).toBeLessThan(1e-6);
    expect(() => Booster.load(new Uint8Array([0x5b, 0x5d]))).toThrow(/not an XGBoost/);
    expect(() => Booster.load(fx.modelUbj!.subarray(0, 500))).toThrow(/UBJSON/);
  });
});
