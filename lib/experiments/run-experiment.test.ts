import { describe, expect, it } from "vitest";
import { parseFeatureTable } from "../ml/protocol/feature-table";
import { runProtocolParallel } from "../ml/protocol/node/run-protocol-parallel";
import { runProtocol } from "../ml/protocol/run-protocol";
import { correctedResampledCi, tQuantile } from "./confidence";
import { resolveFeatureSets, parseExperimentConfig } from "./config";
import { calibrationBins, meanRoc, rocCurve } from "./curves";
import { exportColumns, parseExperimentTable } from "./feature-table";
import { formatExperimentTable, experimentCsv } from "./report";
import { runExperiment, type ExperimentResult } from "./run-experiment";
import { QUICK_PROTOCOL, syntheticExperimentCsv } from "./testdata/synthetic-table";

const withoutTimes = (r: ExperimentResult) => ({
  ...r,
  elapsedMs: 0,
  runs: r.runs.map((x) => ({ ...x, elapsedMs: 0 })),
});

describe("experiment engine", () => {
  const csv = syntheticExperimentCsv({ missingResponse: [5, 17] });
  const table = parseExperimentTable(csv);
  const config = {
    name: "t",
    grid: { extractors: ["handcrafted", "resnet10", "resnet34", "resnet50"], clinical: [false, true] },
    protocol: QUICK_PROTOCOL,
  };
  // Two sets x two endpoints are enough for the equality checks (the grid's expansion is tested above).
  const runConfig = {
    name: "t",
    featureSets: [
      { extractor: "handcrafted", clinical: true },
      { extractor: "resnet10", modalities: ["CE_T1"] },
    ],
    protocol: QUICK_PROTOCOL,
  };

  it("expands the grid to the sets the table has, skipping absent extractors and duplicates", () => {
    const { sets, skipped } = resolveFeatureSets(parseExperimentConfig(config), table.columns);
    expect(sets.map((s) => [s.name, s.columns.length])).toEqual([
      ["handcrafted.all.both", 5],
      ["handcrafted.all.both+clinical", 7],
      ["resnet10.all.both", 3],
      ["resnet10.all.both+clinical", 5],
      ["resnet34.all.both", 2],
      ["resnet34.all.both+clinical", 4],
    ]);
    expect(skipped.map((s) => s.name)).toEqual(["resnet50.all.both", "resnet50.all.both+clinical"]);
    const perModality = resolveFeatureSets(
      parseExperimentConfig({
        grid: {
          extractors: ["resnet10"],
          modalities: ["CE_T1", "T2", "CT"],
          regions: ["intra", "peri", "both"],
          clinical: [false],
        },
      }),
      table.columns,
    );
    // CE_T1 intra and CE_T1 both select the same two columns: the second is skipped as a duplicate.
    expect(perModality.sets.map((s) => s.name)).toEqual(["resnet10.CE_T1.intra", "resnet10.T2.intra"]);
    expect(perModality.skipped).toContainEqual({
      name: "resnet10.CE_T1.both",
      reason: "same columns as resnet10.CE_T1.intra",
    });
    expect(() =>
      resolveFeatureSets(parseExperimentConfig({ featureSets: [{ extractor: "resnet50" }] }), table.columns),
    ).toThrow(/selects no column/);
    expect(() => parseExperimentConfig({ featureSets: [{ extractor: "resnet10" }], grid: {} })).toThrow(
      /featureSets or grid/,
    );
    expect(() => parseExperimentConfig({ protocol: { partitions: "10" } })).toThrow(/SETTINGS|protocol.partitions/);
  });

  it("is deterministic and each row equals the protocol run on the exported sub-table with the same config", async () => {
    const a = await runExperiment(table, runConfig);
    const b = await runExperiment(parseExperimentTable(csv), runConfig, {
      runner: (input, c) => runProtocolParallel(input, c, { workers: 2 }),
    });
    expect(withoutTimes(b)).toEqual(withoutTimes(a));
    expect(a.runs.map((r) => `${r.featureSet}/${r.endpoint}`)).toEqual([
      "handcrafted.all.both+clinical/pCR",
      "handcrafted.all.both+clinical/response",
      "resnet10.CE_T1.both/pCR",
      "resnet10.CE_T1.both/response",
    ]);

    const { sets } = resolveFeatureSets(a.config, table.columns);
    for (const run of [a.runs[1], a.runs[2]]) {
      const set = sets.find((s) => s.name === run.featureSet)!;
      const exported = exportColumns(table, set.columns);
      const other = run.endpoint === "pCR" ? "response" : "pCR";
      // `nac protocol run` refuses rows without a label: keep the rows the experiment used (response ends ",").
      const kept = exported.split("\n").filter((l) => run.endpoint === "pCR" || !l.endsWith(","));
      const input = parseFeatureTable(kept.join("\n"), {
        labelColumn: run.endpoint,
        idColumn: "patient_id",
        exclude: [other],
      });
      const p = runProtocol(input, run.config);
      expect(p.summary.balancedAccuracy!.mean).toBe(run.metrics.balancedAccuracy!.mean);
      expect(p.summary.auc!.sd).toBe(run.metrics.auc!.sd);
      expect(p.partitions.map((x) => x.metrics)).toEqual(run.partitions.map((x) => x.metrics));
      expect(p.partitions.map((x) => x.testProbabilities)).toEqual(run.partitions.map((x) => x.testProbabilities));
      expect(p.selectionFrequency.slice(0, run.selectionFrequency.length)).toEqual(run.selectionFrequency);
    }
    // Rows without a response are left out of the response runs only.
    expect(a.runs.find((r) => r.endpoint === "pCR")!.nRows).toBe(60);
    expect(a.runs.find((r) => r.endpoint === "response")!.nRows).toBe(58);
    // Threshold "prevalence": the endpoint's positive rate.
    expect(a.runs[0].config.threshold).toBe(0.4);
    expect(a.runs[0].config.finalModel).toBe(false);
    expect(formatExperimentTable(a)).toMatch(
      /handcrafted\.all\.both\+clinical\s+7\s+\d+\.\d ± \d+\.\d \[\d+\.\d, \d+\.\d\]/,
    );
    const lines = experimentCsv(a).trim().split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[1].split(",")[0]).toBe("handcrafted.all.both+clinical");
  });

  it("Student t quantiles and the corrected resampled interval", () => {
    // scipy.stats.t.ppf(0.975, df)
    expect(tQuantile(0.95, 9)).toBeCloseTo(2.262157162798205, 9);
    expect(tQuantile(0.95, 1)).toBeCloseTo(12.706204736174694, 7);
    expect(tQuantile(0.9, 30)).toBeCloseTo(1.697260886593957, 9);
    const ci = correctedResampledCi(0.7, 0.05, 10, 36, 141, 0.95)!;
    const half = 2.262157162798205 * Math.sqrt((1 / 10 + 36 / 141) * 0.0025);
    expect(ci.lower).toBeCloseTo(0.7 - half, 9);
    expect(ci.upper).toBeCloseTo(0.7 + half, 9);
    expect(correctedResampledCi(0.98, 0.05, 10, 36, 141, 0.95, [0, 1])!.upper).toBe(1);
    expect(correctedResampledCi(0.7, 0.05, 1, 36, 141, 0.95)).toBeNull();
  });

  it("ROC curves, their mean with band, and calibration bins", () => {
    expect(rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 0, tpr: 0.5 },
      { fpr: 0.5, tpr: 0.5 },
      { fpr: 0.5, tpr: 1 },
      { fpr: 1, tpr: 1 },
    ]);
    // ties move diagonally
    expect(rocCurve([0, 1], [0.5, 0.5])).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 1, tpr: 1 },
    ]);
    const perfect = rocCurve([0, 1], [0.1, 0.9]);
    const chance = rocCurve([0, 1], [0.5, 0.5]);
    const m = meanRoc([perfect, chance], 5);
    expect(m.fpr).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(m.tprMean).toEqual([0.5, 0.625, 0.75, 0.875, 1]);
    expect(m.tprUpper[1]).toBe(Math.min(1, 0.625 + Math.SQRT1_2 * 0.75));
    const bins = calibrationBins([0, 1, 1, 0, 1], [0.05, 0.15, 0.95, 0.91, 1], 10);
    expect(bins.map((b) => [b.lower, b.n, b.observed])).toEqual([
      [0, 1, 0],
      [0.1, 1, 1],
      [0.9, 3, 2 / 3],
    ]);
    expect(bins[2].meanPredicted).toBeCloseTo((0.95 + 0.91 + 1) / 3, 12);
    expect(bins[2].observedLower).toBeLessThan(2 / 3);
  });

  it("refuses a table that breaks the contract, naming the problem", () => {
    expect(() => parseExperimentTable("id,a,pCR\nP1,1,0\n")).toThrow(/first column must be "patient_id"/);
    expect(() => parseExperimentTable("patient_id,a,pCR\nP1,1,0\nP1,2,1\n")).toThrow(/appears twice/);
    expect(() => parseExperimentTable("patient_id,a,pCR\nP1,x,0\n")).toThrow(
      /line 2, column "a": "x" is not a finite number/,
    );
    expect(() => parseExperimentTable("patient_id,a,pCR\nP1,1,2\n")).toThrow(/"pCR": "2" is not 0, 1 or empty/);
    expect(() => parseExperimentTable("patient_id,a\nP1,1\n")).toThrow(/no outcome column/);
  });
});
