import { describe, expect, it } from "vitest";
import { contributionWords, featureWords, splitCamel } from "./words";

describe("feature names in words", () => {
  it("says role, region, family and feature", () => {
    expect(contributionWords("CE_T1.peri.original_glcm_Contrast", 0.1234)).toBe("CE-T1 peritumoral GLCM contrast: +0.12");
    expect(contributionWords("T2.intra.original_firstorder_Minimum", -0.587)).toBe("T2 intratumoral first-order minimum: -0.59");
    expect(featureWords("CT.peri.original_shape_Maximum2DDiameterSlice")).toBe("CT peritumoral shape maximum 2D diameter slice");
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
