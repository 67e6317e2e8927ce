import { describe, expect, it } from "vitest";
import { isNacError } from "../errors";
import {
  extractionOptionsSchema,
  extractionSpecHash,
  extractionSpecInput,
  handcraftedSettings,
  makeExtractionSpec,
} from "./extraction-spec";
import { paperHandcraftedSettings } from "../pipeline/case-features";

const base = {
  periMarginMm: 5,
  periShellMode: "surface-volume-matched" as const,
  extractors: ["handcrafted" as const, "resnet10" as const],
};

describe("extraction options (UI form, API body, CLI flags)", () => {
  it("no options: the cohort's shell and the paper's settings, the same spec hash as before options existed", () => {
    const o = extractionOptionsSchema.parse({});
    expect(extractionSpecInput(o)).toEqual({});
    expect(extractionSpecHash(makeExtractionSpec({ ...base, ...extractionSpecInput(o) }))).toBe(
      extractionSpecHash(makeExtractionSpec(base)),
    );
  });

  it("roles, regions, margin, shell mode and encoder input reach the spec (in canonical order) and change its hash", () => {
    const o = extractionOptionsSchema.parse({
      roles: ["T2", "CE_T1"],
      regions: ["peri"],
      periMarginMm: 3,
      periShellMode: "centres",
      deepInputSize: 32,
    });
    const spec = makeExtractionSpec({ ...base, ...extractionSpecInput(o) });
    expect(spec).toMatchObject({
      roles: ["CE_T1", "T2"],
      regions: ["peri"],
      periMarginMm: 3,
      periShellMode: "centres",
    });
    expect(spec.deep.preprocess.inputSize).toEqual([32, 32, 32]);
    expect(extractionSpecHash(spec)).not.toBe(extractionSpecHash(makeExtractionSpec(base)));
  });

  it("handcrafted: pyradiomics defaults = the paper's settings; IBSI settings; a pyradiomics parameter file", () => {
    expect(handcraftedSettings({ mode: "pyradiomics" })).toEqual(paperHandcraftedSettings());
    const ibsi = handcraftedSettings({ mode: "ibsi" });
    expect(ibsi.mode).toBe("ibsi");
    expect(ibsi.discretisation).toEqual({ method: "fixedBinNumber", binCount: 32 });
    const p = handcraftedSettings({
      mode: "pyradiomics-params",
      params: "setting:\n  binWidth: 10\nfeatureClass:\n  firstorder: []\n  glcm: []\n",
    });
    expect(p.mode).toBe("pyradiomics");
    expect(p.discretisation).toMatchObject({ method: "fixedBinSize", binWidth: 10 });
    expect(p.families).toEqual(["intensity_statistics", "glcm"]);
    const spec = makeExtractionSpec({
      ...base,
      ...extractionSpecInput({ handcrafted: { mode: "pyradiomics-params", params: "setting:\n  binWidth: 10\n" } }),
    });
    expect(spec.handcrafted.discretisation).toMatchObject({ binWidth: 10 });
  });

  it("refuses what it cannot honour: a parameter file with another label or an unknown setting, bad values, stray keys", () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isNacError(e) ? e.code : "other";
      }
      return "none";
    };
    expect(code(() => handcraftedSettings({ mode: "pyradiomics-params", params: "setting:\n  label: 2\n" }))).toBe(
      "SETTINGS_INVALID",
    );
    expect(
      code(() => handcraftedSettings({ mode: "pyradiomics-params", params: "setting:\n  noSuchSetting: 1\n" })),
    ).toBe("SETTINGS_INVALID");
    for (const bad of [
      { roles: [] },
      { roles: ["MG"] },
      { regions: ["intra", "intra"] },
      { periMarginMm: 0 },
      { periMarginMm: "5" },
      { periShellMode: "faces" },
      { deepInputSize: 8 },
      { handcrafted: { mode: "ibsi", params: "x" } },
      { extra: 1 },
    ]) {
      expect(extractionOptionsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
