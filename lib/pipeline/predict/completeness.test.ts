import { describe, expect, it } from "vitest";
import { missingRequiredInputs, requiredInputsOf } from "./completeness";
import type { PredictInputs } from "./select-inputs";
import { firstJsonDifference } from "./verify";

const bundle = (featureNames: string[], requiredInputs?: { seriesRoles: string[]; clinicalRecord: boolean }) =>
  ({
    lb: {
      bundle: { modelCard: { requiredInputs }, endpoints: { pcr: { featureNames }, response: { featureNames: [] } } },
    },
  }) as never;

const record = (complete: boolean) => ({ id: "c", version: 2, values: { complete } }) as never;

describe("required inputs (issue 18 item 0)", () => {
  it("default: the roles and the clinical record the bundle's features come from", () => {
    expect(requiredInputsOf(bundle(["CE_T1.intra.a", "CT.peri.b", "clinical.age"]))).toEqual({
      seriesRoles: ["CE_T1", "CT"],
      clinicalRecord: true,
    });
    expect(requiredInputsOf(bundle(["T2.intra.a"]))).toEqual({ seriesRoles: ["T2"], clinicalRecord: false });
  });
  it("a bundle's declaration wins", () => {
    expect(
      requiredInputsOf(bundle(["CE_T1.intra.a", "CT.peri.b"], { seriesRoles: ["CE_T1"], clinicalRecord: false })),
    ).toEqual({ seriesRoles: ["CE_T1"], clinicalRecord: false });
  });
  it("names every missing input, in order", () => {
    const inputs: PredictInputs = {
      roles: [
        { role: "CE_T1", absent: "no tumour ROI on the CE-T1 series" },
        { role: "T2", absent: "no T2 series" },
      ],
      clinicalRecord: null,
      warnings: [],
    };
    expect(missingRequiredInputs({ seriesRoles: ["CE_T1", "T2", "CT"], clinicalRecord: true }, inputs)).toEqual([
      "no tumour ROI on the CE-T1 series",
      "no T2 series",
      "no CT series",
      "no clinical record",
    ]);
    expect(
      missingRequiredInputs({ seriesRoles: [], clinicalRecord: true }, { ...inputs, clinicalRecord: record(false) }),
    ).toEqual(["clinical record version 2 is incomplete"]);
    expect(
      missingRequiredInputs({ seriesRoles: [], clinicalRecord: true }, { ...inputs, clinicalRecord: record(true) }),
    ).toEqual([]);
  });
});

describe("replay comparison", () => {
  it("is exact on numbers and names the first difference by path", () => {
    expect(firstJsonDifference({ a: [1, { b: 0.1 + 0.2 }] }, { a: [1, { b: 0.1 + 0.2 }] })).toBeNull();
    expect(firstJsonDifference({ a: [1, { b: 0.3 }] }, { a: [1, { b: 0.1 + 0.2 }] }, "x")).toBe(
      "x.a[1].b: stored 0.3, recomputed 0.30000000000000004",
    );
    expect(firstJsonDifference({ a: 1 }, { a: 1, z: "new" }, "x")).toBe('x.z: stored absent, recomputed "new"');
    expect(firstJsonDifference(["p"], ["p", "q"], "w")).toBe('w[1]: stored absent, recomputed "q"');
    expect(firstJsonDifference({ c: null }, { c: null })).toBeNull();
  });
});
