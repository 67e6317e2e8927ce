import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
/* eslint-disable @typescript-eslint/no-explicit-any -- the 2.x/3.x rewrite edits untyped model documents */
import { afterAll, describe, expect, it } from "vitest";
import { Booster } from "./booster";
import { FIXTURE_DIR, loadFixture } from "./testdata/load";
import { trainBooster } from "./train/train";
import { decodeUbjson, encodeUbjson } from "./ubjson";

const PYTHON = "/usr/bin/python3";
const probe = spawnSync(PYTHON, ["-c", "import xgboost; print(xgboost.__version__)"], { encoding: "utf8" });
const pythonXgb = probe.status === 0 ? probe.stdout.trim() : null;
if (!pythonXgb)
  console.warn(
    `[xgboost] ${PYTHON} with the xgboost module is absent: the Python load_model round-trip test is SKIPPED`,
  );

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe("XGBoost JSON writing", () => {
  it("write -> read reproduces the model exactly (including pruned nodes) and UBJSON encode/decode round-trips", () => {
    for (const [ds, cfg] of [
      ["synth_gauss", "exact_reg"],
      ["breast", "hist"],
      ["wide", "exact_default"],
    ]) {
      const fx = loadFixture(ds, cfg);
      const b = Booster.fromJSON(fx.modelJson);
      const again = Booster.fromJSON(b.toJSON());
      expect(again.model.trees.map((t) => Array.from(t.splitCondition))).toEqual(
        b.model.trees.map((t) => Array.from(t.splitCondition)),
      );
      expect(maxAbs(again.predictMargin(fx.X), fx.expected.margin)).toBeLessThan(1e-6);
      expect(Array.from(again.predictLeaf(fx.X))).toEqual(fx.expected.leaf.flat());
      const ub = Booster.fromUBJSON(b.toUBJSON());
      expect(maxAbs(ub.predictMargin(fx.X), fx.expected.margin)).toBeLessThan(1e-6);
    }
    const v = {
      a: [1, 2.5, "x", null, true],
      b: { c: new Float32Array([1.5, -2]), d: new Int32Array([7, -8]) },
      e: 2 ** 40,
    };
    const back = decodeUbjson(encodeUbjson(v)) as Record<string, unknown>;
    expect(back.a).toEqual([1, 2.5, "x", null, true]);
    expect(Array.from((back.b as Record<string, Float32Array>).c)).toEqual([1.5, -2]);
    expect(Array.from((back.b as Record<string, Int32Array>).d)).toEqual([7, -8]);
    expect(back.e).toBe(2 ** 40);
  });

  describe.skipIf(!pythonXgb)(`Python xgboost (${pythonXgb ?? "absent"}) loads models written here`, () => {
    const dir = mkdtempSync(path.join(tmpdir(), "nac-xgb-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("models trained here (exact with gamma-pruned nodes as JSON, hist as UBJSON) predict the same in Python", () => {
      // One Python process for all models (importing xgboost dominates the cost).
      const cases = [
        ["synth_gauss", "exact_reg"],
        ["sparse_counts", "exact_default"],
        ["breast", "hist"],
      ].map(([ds, cfg]) => {
        const fx = loadFixture(ds, cfg);
        const b = new Booster(trainBooster(fx.X, fx.y, fx.params));
        // One model as UBJSON (XGBoost's reader is strict about its dialect), the others as JSON.
        const file = path.join(dir, `${ds}_${cfg}.${ds === "breast" ? "ubj" : "json"}`);
        writeFileSync(file, ds === "breast" ? b.toUBJSON() : b.toJSON());
        return { fx, b, file, csv: path.join(FIXTURE_DIR, `${ds}.csv`) };
      });
      const script = [
        "import sys, json, numpy as np, xgboost as xgb",
        "out = []",
        "for model, csv in zip(sys.argv[1::2], sys.argv[2::2]):",
        "    d = np.genfromtxt(csv, delimiter=',', skip_header=1, missing_values='', filling_values=np.nan)",
        "    b = xgb.Booster(model_file=model)",
        "    m = xgb.DMatrix(d[:, :-1], missing=np.nan)",
        "    out.append({'margin': b.predict(m, output_margin=True).tolist(), 'leaf': b.predict(m, pred_leaf=True).astype(int).tolist()})",
        "print(json.dumps(out))",
      ].join("\n");
      const res = spawnSync(PYTHON, ["-c", script, ...cases.flatMap((c) => [c.file, c.csv])], { encoding: "utf8" });
      expect(res.status, res.stderr).toBe(0);
      const outs = JSON.parse(res.stdout) as { margin: number[]; leaf: number[][] }[];
      expect(outs.length).toBe(cases.length);
      cases.forEach(({ fx, b }, i) => {
        expect(maxAbs(b.predictMargin(fx.X), outs[i].margin)).toBeLessThan(1e-6);
        expect(Array.from(b.predictLeaf(fx.X))).toEqual(outs[i].leaf.flat());
      });
    });
  });
});

describe("XGBoost 2.x/3.x model layouts", () => {
  /** Rewrites a 1.7.4 document the way 2.x/3.x save it: bracketed base_score, iteration_indptr, version, typed UBJSON arrays. */
  function as3x(doc: Record<string, any>, typed: boolean): Record<string, any> {
    const d = structuredClone(doc);
    d.version = [3, 0, 2];
    d.learner.learner_model_param.base_score = "[5E-1]";
    const model = d.learner.gradient_booster.model;
    model.iteration_indptr = Array.from({ length: model.trees.length + 1 }, (_, i) => i);
    model.gbtree_model_param.num_parallel_tree = "1";
    for (const t of model.trees) {
      t.split_type = t.split_indices.map(() => 0);
      if (!typed) continue;
      for (const k of ["left_children", "right_children", "parents", "split_indices"]) t[k] = Int32Array.from(t[k]);
      for (const k of ["split_conditions", "base_weights", "loss_changes", "sum_hessian"])
        t[k] = Float32Array.from(t[k]);
      t.default_left = Uint8Array.from(t.default_left);
      t.split_type = Uint8Array.from(t.split_type);
    }
    if (typed) {
      model.tree_info = BigInt64Array.from(model.tree_info.map((x: number) => BigInt(x)));
      model.iteration_indptr = BigInt64Array.from(model.iteration_indptr.map((x: number) => BigInt(x)));
    }
    return d;
  }

  it("reads the 3.x JSON and typed UBJSON variants with identical predictions", () => {
    const fx = loadFixture("breast", "exact_reg");
    const doc = JSON.parse(fx.modelJson);
    const json3 = Booster.fromJSON(JSON.stringify(as3x(doc, false)));
    expect(maxAbs(json3.predictMargin(fx.X), fx.expected.margin)).toBeLessThan(1e-6);
    const ubj3 = Booster.load(encodeUbjson(as3x(doc, true)));
    expect(maxAbs(ubj3.predictMargin(fx.X), fx.expected.margin)).toBeLessThan(1e-6);
    expect(Array.from(ubj3.predictLeaf(fx.X))).toEqual(fx.expected.leaf.flat());
  });

  it("rejects what it cannot evaluate faithfully: categorical splits, vector leaves, unknown objectives", () => {
    const doc = JSON.parse(loadFixture("wide", "exact_default").modelJson);
    const cat = structuredClone(doc);
    cat.learner.gradient_booster.model.trees[0].split_type[0] = 1;
    expect(() => Booster.fromJSON(JSON.stringify(cat))).toThrow(/categorical/);
    const vec = structuredClone(doc);
    vec.learner.gradient_booster.model.trees[0].tree_param.size_leaf_vector = "3";
    expect(() => Booster.fromJSON(JSON.stringify(vec))).toThrow(/multi-target/);
    const obj = structuredClone(doc);
    obj.learner.objective.name = "rank:pairwise";
    expect(() => Booster.fromJSON(JSON.stringify(obj))).toThrow(/rank:pairwise/);
  });
});
