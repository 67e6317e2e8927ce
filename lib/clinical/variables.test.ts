import { describe, expect, it } from "vitest";
import {
  clinicalValuesFromText,
  clinicalValuesSchema,
  derivedSubtype,
  isComplete,
  type ClinicalValues,
} from "./variables";

const valid = {
  ageYears: 52,
  menopausalStatus: "post",
  er: "positive",
  pr: "negative",
  her2: "negative",
  her2Ihc: "1+",
  ki67Percent: 35,
  grade: "2",
  histology: "IDC (NST)",
  cT: "cT2",
  cN: "cN1",
  laterality: "L",
};

describe("clinical variables", () => {
  it("accepts a complete record and derives the subtype", () => {
    const r = clinicalValuesSchema.parse(valid) as ClinicalValues;
    expect(r.ageYears).toBe(52);
    expect(isComplete(r)).toBe(true);
    expect(derivedSubtype(r)).toBe("HR+/HER2-");
    expect(derivedSubtype({ ...r, er: "negative", pr: "negative" })).toBe("TNBC");
  });

  it("refuses an out-of-range Ki-67 with a message naming the limit and the unit", () => {
    const r = clinicalValuesSchema.safeParse({ ...valid, ki67Percent: 140 });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: ["ki67Percent"], message: "Ki-67 must be at most 100 %" });
  });

  it("refuses an unknown choice and a missing required field", () => {
    expect(clinicalValuesSchema.safeParse({ ...valid, cT: "cT9" }).success).toBe(false);
    const { ageYears: _omit, ...noAge } = valid;
    expect(clinicalValuesSchema.safeParse(noAge).success).toBe(false);
  });

  it("allows optional fields to be absent", () => {
    const { laterality: _l, her2Ihc: _h, ...rest } = valid;
    expect(clinicalValuesSchema.safeParse(rest).success).toBe(true);
  });

  it('never coerces: null, "", false, [] and numeric text are errors for a required number; unknown variables are refused', () => {
    for (const bad of [null, "", false, [], "35", "0x32", Number.NaN, Number.POSITIVE_INFINITY]) {
      const r = clinicalValuesSchema.safeParse({ ...valid, ki67Percent: bad });
      expect(r.success, JSON.stringify(bad)).toBe(false);
      expect(r.error!.issues[0].path).toEqual(["ki67Percent"]);
    }
    expect(clinicalValuesSchema.safeParse({ ...valid, ki67Percent: null }).error!.issues[0].message).toBe(
      "Ki-67 is required",
    );
    expect(clinicalValuesSchema.safeParse({ ...valid, ageYears: "0x32" }).success).toBe(false);
    expect(clinicalValuesSchema.safeParse({ ...valid, ageYaers: 50 }).success).toBe(false);
    // a stored record (with its derived subtype and completeness) round-trips; the derived keys are dropped
    expect(clinicalValuesSchema.parse({ ...valid, subtype: "HR+/HER2-", complete: true })).toEqual(valid);
  });

  it("form text becomes numbers only from plain decimals", () => {
    expect(
      clinicalValuesFromText({ ageYears: "52", ki67Percent: " 12.5 ", grade: "2", laterality: "", subtype: "TNBC" }),
    ).toEqual({ ageYears: 52, ki67Percent: 12.5, grade: "2" });
    const r = clinicalValuesSchema.safeParse(clinicalValuesFromText({ ...valid, ageYears: "0x32" }));
    expect(r.error!.issues[0]).toMatchObject({ path: ["ageYears"], message: "Age must be a number" });
  });
});
