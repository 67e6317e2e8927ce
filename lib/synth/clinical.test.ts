import { describe, expect, it } from "vitest";
import { SUBTYPE_WEIGHTS, SUBTYPES } from "./clinical";
import { samplePatientModel, type PatientModel } from "./patient-model";

const N = 1000;
const cohort: PatientModel[] = Array.from({ length: N }, (_, i) => samplePatientModel("clinical-test", i));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

describe("clinical variables", () => {
  it("follow the documented subtype mix", () => {
    SUBTYPES.forEach((s, k) => {
      const f = cohort.filter((p) => p.clinical.subtype === s).length / N;
      // Binomial standard error <= 0.016 at N = 1000.
      expect(Math.abs(f - SUBTYPE_WEIGHTS[k])).toBeLessThan(0.045);
    });
  });

  it("keep receptor status consistent with the subtype", () => {
    for (const p of cohort) {
      const c = p.clinical;
      const hrPos = c.er === "positive" || c.pr === "positive";
      expect(hrPos).toBe(c.subtype.startsWith("HR+"));
      expect(c.her2 === "positive").toBe(c.subtype.includes("HER2+"));
      if (c.her2 === "positive")
        expect(c.her2Ihc === "3+" || (c.her2Ihc === "2+" && c.her2Ish === "amplified")).toBe(true);
      else expect(c.her2Ihc === "3+" || c.her2Ish === "amplified").toBe(false);
      expect(c.ki67Percent).toBeGreaterThanOrEqual(1);
      expect(c.ki67Percent).toBeLessThanOrEqual(95);
    }
  });

  it("make Ki-67 and grade higher in triple-negative than in HR+/HER2- disease", () => {
    const by = (s: string) => cohort.filter((p) => p.clinical.subtype === s);
    expect(median(by("TNBC").map((p) => p.clinical.ki67Percent))).toBeGreaterThan(
      median(by("HR+/HER2-").map((p) => p.clinical.ki67Percent)) + 20,
    );
    const g3 = (ps: PatientModel[]) => ps.filter((p) => p.clinical.grade === 3).length / ps.length;
    expect(g3(by("TNBC"))).toBeGreaterThan(0.7);
    expect(g3(by("HR+/HER2-"))).toBeLessThan(0.45);
  });

  it("tie menopausal status to age and cT to the imaged longest diameter", () => {
    const young = cohort.filter((p) => p.clinical.ageYears < 45);
    const old = cohort.filter((p) => p.clinical.ageYears > 56);
    expect(young.filter((p) => p.clinical.menopausalStatus === "post").length / young.length).toBeLessThan(0.1);
    expect(old.filter((p) => p.clinical.menopausalStatus === "post").length / old.length).toBeGreaterThan(0.9);
    for (const p of cohort) {
      const d = p.tumour.longestDiameterMm;
      if (p.clinical.cT === "cT4") continue;
      expect(p.clinical.cT).toBe(d <= 20 ? "cT1" : d <= 50 ? "cT2" : "cT3");
      expect(d).toBeGreaterThanOrEqual(p.tumour.equivalentDiameterMm * 0.999);
    }
    const ct2 = cohort.filter((p) => p.clinical.cT === "cT2").length / N;
    expect(ct2).toBeGreaterThan(0.5);
  });
});
