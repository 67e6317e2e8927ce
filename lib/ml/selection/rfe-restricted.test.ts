import { describe, expect, it } from "vitest";
import { selectColumns } from "../matrix";
import { plantedSignal } from "../protocol/testdata/synthetic";
import { modelToJsonText } from "../xgboost/model-json";
import { XGBClassifier } from "../xgboost/classifier";
import { rfe } from "./rfe";

const json = (c: XGBClassifier) => modelToJsonText(c.toBooster().model);

/** Counts fits so the test can see that RFE skipped refits. */
class CountingXGB extends XGBClassifier {
  static fits = 0;
  override fit(...a: Parameters<XGBClassifier["fit"]>): this {
    CountingXGB.fits++;
    return super.fit(...a);
  }
  override clone(): CountingXGB {
    return new CountingXGB({ ...this.params });
  }
}

describe("XGBClassifier.restrictedTo (RFE without refitting when only unused columns go)", () => {
  // Few rounds on many columns: most columns are never split on.
  const d = plantedSignal({ rows: 90, features: 24, informative: 3, shift: 1.2, seed: 31 });
  const params = { num_boost_round: 6, max_depth: 2, eta: 0.3, tree_method: "exact" as const };

  it("equals a fresh fit on the kept columns, byte for byte, and refuses when a used column would go", () => {
    const full = new XGBClassifier(params).fit(d.X, d.y);
    const imp = full.featureImportances();
    const unused = [...imp.keys()].filter((j) => imp[j] === 0);
    const used = [...imp.keys()].filter((j) => imp[j] > 0);
    expect(unused.length).toBeGreaterThan(5);
    const keep = [...imp.keys()].filter((j) => j !== unused[0] && j !== unused[3]);
    const restricted = full.restrictedTo(keep);
    expect(restricted).not.toBeNull();
    const fresh = new XGBClassifier(params).fit(selectColumns(d.X, keep), d.y);
    expect(json(restricted!)).toBe(json(fresh));
    expect(Array.from(restricted!.predictProba(selectColumns(d.X, keep)))).toEqual(
      Array.from(fresh.predictProba(selectColumns(d.X, keep))),
    );
    expect(full.restrictedTo([...imp.keys()].filter((j) => j !== used[0]))).toBeNull();
    expect(new XGBClassifier({ ...params, tree_method: "hist" }).fit(d.X, d.y).restrictedTo(keep)).toBeNull();
    expect(new XGBClassifier({ ...params, colsample_bytree: 0.5 }).fit(d.X, d.y).restrictedTo(keep)).toBeNull();
    // Pruned splits leave no trace of their feature: no shortcut once gamma pruned anything.
    const pruned = new XGBClassifier({ ...params, gamma: 5 }).fit(d.X, d.y);
    expect(pruned.toBooster().model.trees.some((t) => t.numDeleted > 0)).toBe(true);
    expect(pruned.restrictedTo(keep)).toBeNull();
  });

  it("RFE with the shortcut equals RFE with a refit at every step, with fewer fits", () => {
    class NoShortcut extends XGBClassifier {
      override restrictedTo(): null {
        return null;
      }
      override clone(): NoShortcut {
        return new NoShortcut({ ...this.params });
      }
    }
    const seenA: string[] = [],
      seenB: string[] = [];
    CountingXGB.fits = 0;
    const a = rfe(d.X, d.y, { estimator: new CountingXGB(params), nFeaturesToSelect: 4, step: 1 }, (e, f) =>
      seenA.push(`${f.join(",")}:${json(e as XGBClassifier)}`),
    );
    const b = rfe(d.X, d.y, { estimator: new NoShortcut(params), nFeaturesToSelect: 4, step: 1 }, (e, f) =>
      seenB.push(`${f.join(",")}:${json(e as XGBClassifier)}`),
    );
    expect(a.selected).toEqual(b.selected);
    expect(a.ranking).toEqual(b.ranking);
    expect(seenA).toEqual(seenB);
    expect(json(a.estimator as XGBClassifier)).toBe(json(b.estimator as XGBClassifier));
    expect(CountingXGB.fits).toBeLessThan(24 - 4 + 1);
  });
});
