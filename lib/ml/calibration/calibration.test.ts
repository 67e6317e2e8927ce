import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../random/prng";
import { calibratorFromJson, chooseCalibrator, IsotonicCalibrator, PlattCalibrator } from "./index";
import fixture from "./testdata/calibration-fixture.json";

// Reference: scikit-learn 1.2.1 CalibratedClassifierCV(cv="prefit") on a LogisticRegression, testdata/make_calibration_fixture.py.
describe("calibrators vs scikit-learn", () => {
  for (const c of fixture) {
    it(`Platt scaling: ${c.name}`, () => {
      const m = new PlattCalibrator().fit(c.p, c.y);
      expect(m.a).toBeCloseTo(c.plattPolished[0], 8);
      expect(m.b).toBeCloseTo(c.plattPolished[1], 8);
      expect(m.a).toBeCloseTo(c.plattSklearn[0], 4); // BFGS stops ~1e-6 short of the optimum
      const q = m.predict(c.pNew);
      q.forEach((v, i) => {
        expect(v).toBeCloseTo(c.sigmoidPolished[i], 9);
        expect(v).toBeCloseTo(c.sigmoid[i], 5);
      });
    });
    it(`isotonic regression: ${c.name}`, () => {
      const m = new IsotonicCalibrator().fit(c.p, c.y);
      const j = m.toJson();
      expect(j.xThresholds).toHaveLength(c.isotonicX.length);
      j.xThresholds.forEach((x, i) => expect(x).toBeCloseTo(c.isotonicX[i], 9));
      j.yThresholds.forEach((y, i) => expect(y).toBeCloseTo(c.isotonicY[i], 12));
      m.predict(c.pNew).forEach((v, i) => expect(v).toBeCloseTo(c.isotonic[i], 9));
    });
  }

  it("round-trips through JSON, refuses use before fit and a non-monotone map", () => {
    const c = fixture[0];
    for (const m of [new PlattCalibrator().fit(c.p, c.y), new IsotonicCalibrator().fit(c.p, c.y)]) {
      const back = calibratorFromJson(JSON.parse(JSON.stringify(m.toJson())));
      expect(Array.from(back.predict(c.pNew))).toEqual(Array.from(m.predict(c.pNew)));
      expect(() => m.clone().predict(c.pNew)).toThrow(/before fit/);
    }
    expect(() => calibratorFromJson({ method: "isotonic", xThresholds: [0, 1], yThresholds: [0.6, 0.4] })).toThrow(
      /monotonicity/,
    );
    expect(() => new PlattCalibrator().fit([0.2, 1.5], [0, 1])).toThrow(/not a probability/);
    expect(() => new IsotonicCalibrator().fit([0.2, 0.5], [0, 2])).toThrow(/expected 0 or 1/);
  });

  it("chooses by cross-validated log loss: Platt for a smooth distortion with few rows, isotonic for a step", () => {
    const r = mulberry32(5);
    const rng = () => r.next();
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
    // Overconfident scores (logit x3) of a well-specified model: Platt's two parameters undo it exactly.
    const n = 120;
    const s = Array.from({ length: n }, () => 2 * (rng() - 0.5) * 2);
    const y = Uint8Array.from(s, (z) => (rng() < sigmoid(z) ? 1 : 0));
    const p = s.map((z) => sigmoid(3 * z));
    const a = chooseCalibrator(p, y, { folds: 5, seed: 1 });
    expect(a.method).toBe("platt");
    expect(a.logLoss.platt).toBeLessThan(a.uncalibratedLogLoss);
    // Outcome is a step in the score (rate 0.1 below 0, 0.9 above), 2 000 rows: no sigmoid of the score fits it.
    const m = 2000;
    const t = Array.from({ length: m }, () => rng() * 6 - 3);
    const y2 = Uint8Array.from(t, (z) => (rng() < (z > 0 ? 0.9 : 0.1) ? 1 : 0));
    const b = chooseCalibrator(t.map(sigmoid), y2, { folds: 5, seed: 1 });
    expect(b.method).toBe("isotonic");
    expect(b.logLoss.isotonic).toBeLessThan(b.logLoss.platt);
  });
});
