import { describe, expect, it } from "vitest";
import { matrixFromRows, selectColumns, selectRows } from "../matrix";
import { rfe } from "../selection/rfe";
import { parseProtocolConfig } from "./config";
import { fitPipeline, makeEstimator, pipelineProba } from "./pipeline";
import { applyPreprocessor } from "./preprocess";
import fixture from "./testdata/protocol-fixture.json";

// One partition of the pipeline against scikit-learn 1.2.1 (SimpleImputer, StandardScaler, RFE) + xgboost 1.7.4
// (XGBClassifier, total_gain importance) with a numpy mRMR FCQ: testdata/make_protocol_fixture.py.
describe("pipeline on one partition vs scikit-learn + xgboost 1.7.4", () => {
  const X = matrixFromRows(fixture.X.map((r) => r.map((v) => (v === null ? Number.NaN : v))));
  const y = Uint8Array.from(fixture.y);
  const config = parseProtocolConfig({
    mrmr: { k: 10 },
    rfe: { mode: "count", nFeatures: 3, step: 1 },
    classifier: { type: "xgboost", params: { num_boost_round: 20, eta: 0.1, max_depth: 3 } },
  });
  const Xtr = selectRows(X, fixture.train);
  const ytr = Uint8Array.from(fixture.train, (i) => y[i]);
  const fp = fitPipeline(Xtr, ytr, config, 0);

  it("imputer medians and scaler means / scales", () => {
    fp.preprocessor.medians.forEach((v, c) => expect(v).toBeCloseTo(fixture.medians[c], 12));
    fp.preprocessor.means.forEach((v, c) => expect(v).toBeCloseTo(fixture.means[c], 12));
    fp.preprocessor.scales.forEach((v, c) => expect(v).toBeCloseTo(fixture.scales[c], 12));
  });

  it("mRMR order, RFE ranking and selection", () => {
    expect(fp.mrmrColumns).toEqual(fixture.mrmr);
    const Z = selectColumns(applyPreprocessor(fp.preprocessor, Xtr), fp.mrmrColumns);
    const r = rfe(Z, ytr, { estimator: makeEstimator(config.classifier), nFeaturesToSelect: 3, step: 1 });
    expect(r.ranking).toEqual(fixture.ranking);
    expect(fp.selectedColumns).toEqual(fixture.selected);
  });

  it("test-row probabilities", () => {
    const p = pipelineProba(fp, selectRows(X, fixture.test));
    p.forEach((v, i) => expect(Math.abs(v - fixture.testProbabilities[i])).toBeLessThan(1e-6));
  });
});
