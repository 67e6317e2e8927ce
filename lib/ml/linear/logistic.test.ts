import { describe, expect, it } from "vitest";
import { matrixFromRows } from "../matrix";
import { LogisticRegression } from "./logistic";
import fixture from "./testdata/logistic-fixture.json";

// Reference: scikit-learn 1.2.1 LogisticRegression(C) polished by exact Newton steps, testdata/make_logistic_fixture.py.
describe("LogisticRegression vs scikit-learn", () => {
  for (const c of fixture) {
    it(c.name, () => {
      const X = matrixFromRows(c.X);
      const m = new LogisticRegression({ C: c.C }).fit(X, Uint8Array.from(c.y));
      const coef = m.coefficients;
      for (let j = 0; j < coef.length; j++) {
        expect(coef[j]).toBeCloseTo(c.coef[j], 9);
        expect(coef[j]).toBeCloseTo(c.sklearnCoef[j], 3); // lbfgs itself stops ~1e-4 short of the optimum
      }
      expect(m.intercept).toBeCloseTo(c.intercept, 9);
      const p = m.predictProba(X);
      for (let i = 0; i < p.length; i++) expect(p[i]).toBeCloseTo(c.proba[i], 10);
      expect(Array.from(m.featureImportances())).toEqual(Array.from(coef).map(Math.abs));
    });
  }
  it("round-trips through JSON and refuses use before fit", () => {
    const c = fixture[0];
    const X = matrixFromRows(c.X);
    const m = new LogisticRegression({ C: c.C }).fit(X, Uint8Array.from(c.y));
    const back = LogisticRegression.fromJson(JSON.parse(JSON.stringify(m.toJson())));
    expect(Array.from(back.predictProba(X))).toEqual(Array.from(m.predictProba(X)));
    expect(() => m.clone().predictProba(X)).toThrow(/before fit/);
  });
});
