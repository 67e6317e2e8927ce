import { describe, expect, it } from "vitest";
import { parseClinicalCsv, responseFromDiameters } from "./clinical-csv";
import { CLINICAL_CSV_COLUMNS } from "./layout";

const header = CLINICAL_CSV_COLUMNS.join(",");
function row(o: Record<string, string>): string {
  const base: Record<string, string> = {
    patient_id: "P1",
    ageYears: "52",
    menopausalStatus: "post",
    er: "positive",
    pr: "negative",
    her2: "negative",
    ki67Percent: "30",
    grade: "2",
    histology: "IDC (NST)",
    cT: "cT2",
    cN: "cN1",
    pCR: "0",
    response: "1",
  };
  return CLINICAL_CSV_COLUMNS.map((c) => o[c] ?? base[c] ?? "").join(",");
}

describe("cohort clinical.csv", () => {
  it("reads a valid row: clinical values with the form's schema, outcome", () => {
    const r = parseClinicalCsv(`${header}\n${row({})}\n`);
    expect(r.fileProblems).toEqual([]);
    expect(r.rows[0].problems).toEqual([]);
    expect(r.rows[0].clinical).toMatchObject({ ageYears: 52, er: "positive", grade: "2" });
    expect(r.rows[0].outcome).toMatchObject({ pcr: 0, response: 1, preDiameterMm: null });
  });

  it("never coerces: a word for a number, 2 for an outcome, a bad date are problems naming the column", () => {
    const r = parseClinicalCsv(`${header}\n${row({ ki67Percent: "high", pCR: "2", outcome_date: "2024-02-30" })}\n`);
    const cols = r.rows[0].problems.map((p) => p.column);
    expect(cols).toEqual(expect.arrayContaining(["ki67Percent", "pCR", "outcome_date"]));
    expect(r.rows[0].problems.find((p) => p.column === "pCR")!.reason).toBe('pCR must be 0 or 1 (got "2")');
  });

  it("an empty cell is not given, never 0", () => {
    const r = parseClinicalCsv(`${header}\n${row({ ageYears: "" })}\n`);
    expect(r.rows[0].problems.map((p) => p.column)).toEqual(["ageYears"]); // required by the clinical form
  });

  it("derives response from the diameters (>= 30 % reduction) and refuses a contradiction", () => {
    expect(responseFromDiameters(30, 21)).toBe(1);
    expect(responseFromDiameters(30, 21.1)).toBe(0);
    const ok = parseClinicalCsv(`${header}\n${row({ response: "", pre_diameter_mm: "40", post_diameter_mm: "10" })}\n`);
    expect(ok.rows[0].outcome!.response).toBe(1);
    const bad = parseClinicalCsv(
      `${header}\n${row({ response: "0", pre_diameter_mm: "40", post_diameter_mm: "10" })}\n`,
    );
    expect(bad.rows[0].problems[0].column).toBe("response");
  });

  it("refuses a header without patient_id first", () => {
    expect(parseClinicalCsv("age,patient_id\n1,P\n").fileProblems[0]).toContain("first column must be patient_id");
  });
});
