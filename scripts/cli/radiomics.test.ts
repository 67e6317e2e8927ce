import { describe, expect, it } from "vitest";
import { buildSettings, formatResult } from "./radiomics";
import type { RadiomicsResult } from "../../lib/radiomics/extract";
import { resolveSettings } from "../../lib/radiomics/settings";

describe("nac radiomics options", () => {
  it("applies pyradiomics setting names in pyradiomics mode and schema keys otherwise", () => {
    const s = buildSettings({ mode: "pyradiomics", setting: ["binWidth=5", "voxelArrayShift=300"], label: "2" });
    expect(s).toMatchObject({ mode: "pyradiomics", label: 2, voxelArrayShift: 300, discretisation: { method: "fixedBinSize", binWidth: 5 } });
    const i = buildSettings({ setting: ['discretisation={"method":"fixedBinNumber","binCount":6}', "outlierSigma=3"], label: "1" });
    expect(resolveSettings(i)).toMatchObject({ mode: "ibsi", outlierSigma: 3, discretisation: { method: "fixedBinNumber", binCount: 6 } });
  });
  it("keeps a parameter file's label unless --label is given", () => {
    expect(buildSettings({ setting: [] }, "setting:\n  label: 2\n").label).toBe(2);
    expect(buildSettings({ setting: [], label: "3" }, "setting:\n  label: 2\n").label).toBe(3);
    expect(() => buildSettings({ setting: [], label: "0" })).toThrow(/--label/);
  });
  it("rejects --params with --mode ibsi and malformed --setting", () => {
    expect(() => buildSettings({ mode: "ibsi", setting: [], label: "1" }, "setting: {}")).toThrow(/implies --mode pyradiomics/);
    expect(() => buildSettings({ setting: ["novalue"], label: "1" })).toThrow(/key=value/);
  });
  it("prints name -> value with null for failures, or CSV", () => {
    const r = { features: { b: 2, a: 1 }, failures: { c: "degenerate" } } as unknown as RadiomicsResult;
    expect(JSON.parse(formatResult(r, "json", false))).toEqual({ a: 1, b: 2, c: null });
    expect(formatResult(r, "csv", true)).toBe("feature,value,error\na,1,\nb,2,\nc,,degenerate\n");
  });
});
