import { describe, expect, it } from "vitest";
import { parseCsvRecords, parseFeatureTable } from "./feature-table";
import { formatProtocolReport } from "./format-report";
import { runProtocol } from "./run-protocol";
import { plantedSignal } from "./testdata/synthetic";

describe("features CSV", () => {
  it("parses quoted fields, missing values, id and label columns", () => {
    const csv = 'id,"a,b",c,y,other\r\nP1,1.5,,1,9\nP2,"2",NA,0,9\n"P""3",-3e2,4,true,9\n';
    expect(parseCsvRecords(csv)[3]).toEqual(['P"3', "-3e2", "4", "true", "9"]);
    const t = parseFeatureTable(csv, { labelColumn: "y", idColumn: "id", exclude: ["other"] });
    expect(t.featureNames).toEqual(["a,b", "c"]);
    expect(Array.from(t.X.data)).toEqual([1.5, Number.NaN, 2, Number.NaN, -300, 4]);
    expect(Array.from(t.y)).toEqual([1, 0, 1]);
    expect(t.rowIds).toEqual(["P1", "P2", 'P"3']);
  });
  it("names the line and column of bad values", () => {
    expect(() => parseFeatureTable("a,y\n1,1\nx,0\n", { labelColumn: "y" })).toThrow(/line 3, column "a": "x"/);
    expect(() => parseFeatureTable("a,y\n1,\n", { labelColumn: "y" })).toThrow(/missing labels/);
    expect(() => parseFeatureTable("a,y\n1,2\n", { labelColumn: "y" })).toThrow(/not 0\/1/);
    expect(() => parseFeatureTable("a,y\n1,1\n", { labelColumn: "z" })).toThrow(/label column "z"/);
    expect(() => parseFeatureTable("a,y\nInfinity,1\n", { labelColumn: "y" })).toThrow(/finite/);
    expect(() => parseFeatureTable("id,a,y\nP,1,1\nP,2,0\n", { labelColumn: "y", idColumn: "id" })).toThrow(
      /duplicate/,
    );
  });
  it("report lists every metric and the selection frequencies", () => {
    const d = plantedSignal({ rows: 80, features: 10, informative: 2, shift: 2, seed: 2 });
    const r = runProtocol(d, {
      partitions: 2,
      mrmr: { k: 4 },
      rfe: { mode: "count", nFeatures: 2 },
      classifier: { type: "logistic" },
    });
    const text = formatProtocolReport(r);
    for (const m of [
      "Balanced accuracy",
      "Sensitivity",
      "Specificity",
      "AUC",
      "Accuracy",
      "F1",
      "Brier score",
      "Calibration intercept",
      "Calibration slope",
    ]) {
      expect(text).toContain(m);
    }
    expect(text).toContain(
      `${r.summary.balancedAccuracy!.mean.toFixed(3)} ± ${r.summary.balancedAccuracy!.sd.toFixed(3)}`,
    );
    expect(text).toMatch(/signal_0\s+2\s+100%/);
  });
});
