import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeMatrix, selectColumns, type Matrix } from "../matrix";
import { Booster } from "./booster";
import { parseNumericCsv } from "./csv";

const dir = path.resolve(import.meta.dirname, "../../testdata/xgboost");
const read = (f: string) => readFileSync(path.join(dir, f), "utf8");

/** Feature columns of a CSV by name, dropping row/label/target columns. */
function features(file: string, drop: string[]): Matrix {
  const t = parseNumericCsv(read(file));
  const keep = t.header.map((h, i) => (drop.includes(h) ? -1 : i)).filter((i) => i >= 0);
  return selectColumns(t.matrix, keep);
}

function libsvm(file: string, nfeat: number): Matrix {
  const lines = read(file).trim().split("\n");
  const m = makeMatrix(lines.length, nfeat, new Float64Array(lines.length * nfeat).fill(NaN));
  lines.forEach((l, r) => {
    for (const tok of l.trim().split(/\s+/).slice(1)) {
      const [i, v] = tok.split(":");
      m.data[r * nfeat + Number(i)] = Number(v);
    }
  });
  return m;
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe("Booster on the shared XGBoost 1.7.4 models", () => {
  it("agaricus binary:logistic: margins, probabilities and leaf indices", () => {
    const b = Booster.fromJSON(read("agaricus_binary_logistic.json"));
    const X = libsvm("agaricus_test_first200.libsvm", b.numFeature);
    const exp = read("agaricus_binary_logistic_expected.csv")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(","));
    expect(exp.length).toBe(200);
    const margin = b.predictMargin(X);
    const prob = b.predict(X);
    expect(
      maxAbs(
        margin,
        exp.map((e) => Number(e[2])),
      ),
    ).toBeLessThan(1e-6);
    expect(
      maxAbs(
        prob,
        exp.map((e) => Number(e[3])),
      ),
    ).toBeLessThan(1e-6);
    const leaf = b.predictLeaf(X);
    const expLeaf = exp.flatMap((e) => e[4].split(" ").map(Number));
    expect(Array.from(leaf)).toEqual(expLeaf);
  });

  it("breast cancer binary:logistic with missing values (hist-trained)", () => {
    const b = Booster.fromJSON(read("breast_cancer_binary_logistic.json"));
    const X = features("breast_cancer_test_features.csv", ["row", "label"]);
    let missing = 0;
    for (const v of X.data) if (Number.isNaN(v)) missing++;
    expect(missing).toBeGreaterThan(100);
    const exp = parseNumericCsv(read("breast_cancer_binary_logistic_expected.csv")).matrix;
    expect(maxAbs(b.predictMargin(X), selectColumns(exp, [1]).data)).toBeLessThan(1e-6);
    expect(maxAbs(b.predict(X), selectColumns(exp, [2]).data)).toBeLessThan(1e-6);
  });

  it("iris multi:softprob: 3 margins and softmax probabilities", () => {
    const b = Booster.fromJSON(read("iris_multi_softprob.json"));
    expect(b.numGroup).toBe(3);
    const X = features("iris_features.csv", ["row", "label"]);
    const exp = parseNumericCsv(read("iris_multi_softprob_expected.csv")).matrix;
    expect(maxAbs(b.predictMargin(X), selectColumns(exp, [1, 2, 3]).data)).toBeLessThan(1e-6);
    expect(maxAbs(b.predict(X), selectColumns(exp, [4, 5, 6]).data)).toBeLessThan(1e-6);
  });

  it("diabetes reg:squarederror with base_score 150", () => {
    const b = Booster.fromJSON(read("diabetes_reg_squarederror.json"));
    const X = features("diabetes_test_features.csv", ["row", "target"]);
    const exp = parseNumericCsv(read("diabetes_reg_squarederror_expected.csv")).matrix;
    // Values ~150 in float32: 1e-6 relative is the float32 resolution here.
    const p = b.predict(X);
    const e = selectColumns(exp, [1]).data;
    for (let i = 0; i < p.length; i++) expect(Math.abs(p[i] - e[i]) / Math.abs(e[i])).toBeLessThan(1e-6);
  });

  it("accepts the 2.x/3.x base_score forms and rejects malformed models", () => {
    const doc = JSON.parse(read("agaricus_binary_logistic.json"));
    const X = libsvm("agaricus_test_first200.libsvm", 127);
    const ref = new Booster(Booster.fromJSON(JSON.stringify(doc)).model).predictMargin(X);
    for (const form of ["[5E-1]", "5E-1", "0.5", "[0.5]"]) {
      doc.learner.learner_model_param.base_score = form;
      expect(maxAbs(Booster.fromJSON(JSON.stringify(doc)).predictMargin(X), ref)).toBe(0);
    }
    doc.learner.learner_model_param.base_score = "[abc]";
    expect(() => Booster.fromJSON(JSON.stringify(doc))).toThrow(/base_score/);
    doc.learner.learner_model_param.base_score = "5E-1";
    doc.learner.gradient_booster.model.trees[0].left_children[0] = 99;
    expect(() => Booster.fromJSON(JSON.stringify(doc))).toThrow(/left_children|outside/);
    expect(() => Booster.fromJSON("{not json")).toThrow(/not valid JSON/);
  });

  it("rejects data with the wrong number of columns", () => {
    const b = Booster.fromJSON(read("iris_multi_softprob.json"));
    expect(() => b.predict(makeMatrix(1, 3))).toThrow(/expects 4 features/);
  });
});
