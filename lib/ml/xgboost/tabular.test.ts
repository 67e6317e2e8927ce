import { describe, expect, it } from "vitest";
import { Booster } from "./booster";
import { parseNumericCsv } from "./csv";
import { loadFixture } from "./testdata/load";
import { readFileSync } from "node:fs";
import path from "node:path";
import { FIXTURE_DIR } from "./testdata/load";
import { predictCsv, trainFromCsv } from "./tabular";

const csvText = readFileSync(path.join(FIXTURE_DIR, "synth_gauss.csv"), "utf8");

describe("xgb tabular predict/train", () => {
  const fx = loadFixture("synth_gauss", "exact_default");
  const b = Booster.fromJSON(fx.modelJson);

  it("predicts margins/probabilities/leaves/contribs from CSV text with full precision", () => {
    const margin = parseNumericCsv(predictCsv(b, csvText, "margin", ["label"]));
    expect(margin.header).toEqual(["margin"]);
    // Shortest round-trip text: parsing gives back the exact float values.
    expect(Array.from(margin.matrix.data)).toEqual(Array.from(b.predictMargin(fx.X)));
    const prob = parseNumericCsv(predictCsv(b, csvText, "prediction", ["label"]));
    expect(Array.from(prob.matrix.data)).toEqual(fx.expected.prob.map((p) => Math.fround(p)));
    const leaf = parseNumericCsv(predictCsv(b, csvText, "leaf", ["label"]));
    expect(leaf.header.length).toBe(20);
    expect(Array.from(leaf.matrix.data)).toEqual(fx.expected.leaf.flat());
    const phi = parseNumericCsv(predictCsv(b, csvText, "contribs", ["label"]));
    expect(phi.header).toEqual(["f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "bias"]);
    expect(() => predictCsv(b, csvText, "margin")).toThrow(/9 feature columns .* expects 8/);
  });

  it("trains with feature names from the header; prediction then selects columns by name", () => {
    const trained = trainFromCsv(csvText, "label", fx.params);
    expect(trained.model.featureNames).toEqual(["f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7"]);
    const reordered = ["label,f7,f6,f5,f4,f3,f2,f1,f0,extra"]
      .concat(
        csvText
          .trim()
          .split("\n")
          .slice(1)
          .map((l) => {
            const f = l.split(",");
            return [f[8], ...f.slice(0, 8).reverse(), "1"].join(",");
          }),
      )
      .join("\n");
    const m = parseNumericCsv(predictCsv(trained, reordered, "margin")).matrix.data;
    for (let i = 0; i < m.length; i++) expect(Math.abs(m[i] - fx.expected.margin[i])).toBeLessThan(1e-5);
    expect(() => trainFromCsv(csvText, "nope", {})).toThrow(/label column "nope"/);
    expect(() => predictCsv(trained, "f0,f1\n1,2\n", "margin")).toThrow(/no column "f2"/);
  });
});
