import { describe, expect, it } from "vitest";
import { parseFeatureTable } from "../ml/protocol/feature-table";
import { featureTableCsv, type FeatureTableRow } from "./feature-table";

describe("cohort feature table CSV", () => {
  const rows: FeatureTableRow[] = [
    {
      patientId: "B",
      values: {
        "T2.intra.original_firstorder_Mean": 2.5,
        "CE_T1.peri.resnet10_001": 0.1 + 0.2,
        "CE_T1.intra.original_shape_Elongation": 1,
        "clinical.age": 50,
      },
      pcr: 1,
      response: null,
    },
    {
      patientId: "A",
      values: { "CE_T1.intra.original_shape_Elongation": 0.5, "CE_T1.intra.resnet10_000": -1e-7, "clinical.age": 61 },
      pcr: 0,
      response: 1,
    },
  ];

  it("orders columns by role, region, extractor, name; rows by patient; shortest round-trip numbers; empty = missing", () => {
    const t = featureTableCsv(rows);
    expect(t.csv.split("\n")[0]).toBe(
      "patient_id,CE_T1.intra.original_shape_Elongation,CE_T1.intra.resnet10_000,CE_T1.peri.resnet10_001,T2.intra.original_firstorder_Mean,clinical.age,pCR,response",
    );
    expect(t.csv.split("\n")[1]).toBe("A,0.5,-1e-7,,,61,0,1");
    expect(t.csv.split("\n")[2]).toBe("B,1,,0.30000000000000004,2.5,50,1,");
    expect(t.missingCells).toBe(3);
    expect(Number("0.30000000000000004")).toBe(0.1 + 0.2);
  });

  it("is read by the protocol's feature-table reader", () => {
    const p = parseFeatureTable(featureTableCsv(rows).csv, {
      labelColumn: "pCR",
      idColumn: "patient_id",
      exclude: ["response"],
    });
    expect(p.featureNames).toHaveLength(5);
  });
});
