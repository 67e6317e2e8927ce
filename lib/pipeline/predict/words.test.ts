import { describe, expect, it } from "vitest";
import { clinicalLabel, contributionWords, factContributionWords, featureWords, splitCamel } from "./words";

describe("feature names in words", () => {
  it("says role, region, family and feature", () => {
    expect(contributionWords("CE_T1.peri.original_glcm_Contrast", 0.1234)).toBe(
      "CE-T1 peritumoral GLCM contrast: +0.12",
    );
    expect(contributionWords("T2.intra.original_firstorder_Minimum", -0.587)).toBe(
      "T2 intratumoral first-order minimum: -0.59",
    );
    expect(featureWords("CT.peri.original_shape_Maximum2DDiameterSlice")).toBe(
      "CT peritumoral shape maximum 2D diameter slice",
    );
    expect(featureWords("CE_T1.intra.resnet10_017")).toBe("CE-T1 intratumoral ResNet10 deep feature 17");
    expect(featureWords("clinical.her2")).toBe("HER2 positive");
    expect(featureWords("clinical.ki67")).toBe("Ki-67");
    expect(contributionWords("clinical.tnbc", 0.001)).toBe("triple negative: 0.00");
  });
  it("keeps acronyms", () => {
    expect(splitCamel("JointEntropy")).toBe("joint entropy");
    expect(splitCamel("Idmn")).toBe("idmn");
    expect(splitCamel("GrayLevelNonUniformityNormalized")).toBe("gray level non uniformity normalized");
  });
});

describe("contributions state patient facts (issue 18 item 0)", () => {
  it("says an indicator as the patient's answer, not as the indicator's name", () => {
    // An HR+/HER2+ patient: the indicator is 0, so the words must say "no", never "HR-positive/HER2-negative".
    expect(factContributionWords("clinical.hrposHer2neg", 0, 0.49)).toBe("HR+/HER2− subtype: no; contribution: +0.49");
    expect(factContributionWords("clinical.hrposHer2neg", 1, -0.2)).toBe("HR+/HER2− subtype: yes; contribution: -0.20");
    expect(factContributionWords("clinical.ki67", 45, 0.3)).toBe("Ki-67 45 %; contribution: +0.30");
  });
  it("names an imputed input as such, with why", () => {
    expect(factContributionWords("T2.intra.original_firstorder_Range", null, 0.05, "no T2 series")).toBe(
      "T2 intratumoral first-order range (imputed: no T2 series, training median used); contribution: +0.05",
    );
  });
  it("leaves image features as they were", () => {
    expect(factContributionWords("CE_T1.peri.original_glcm_Contrast", 3.2, 0.1234)).toBe(
      "CE-T1 peritumoral GLCM contrast: +0.12",
    );
  });
});

describe("clinical labels for missing values", () => {
  it("uses the facts' wording", () => {
    expect(["hrposHer2neg", "ki67", "age", "cT", "grade"].map(clinicalLabel)).toEqual([
      "HR+/HER2− subtype",
      "Ki-67",
      "age",
      "clinical T stage",
      "grade",
    ]);
  });
});
