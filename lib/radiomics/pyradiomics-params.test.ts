import { describe, expect, it } from "vitest";
import path from "node:path";
import { readFileSync } from "node:fs";
import { parsePyradiomicsParams } from "./pyradiomics-params";
import { resolveSettings, settingsHash } from "./settings";
import { isNacError } from "@/lib/errors";

const params = path.resolve(import.meta.dirname, "../testdata/pyradiomics/params");

describe("parsePyradiomicsParams", () => {
  it("reads pyradiomics' Params.yaml (Original only, a glcm feature list, empty firstorder list = all)", () => {
    const s = resolveSettings(parsePyradiomicsParams(readFileSync(path.join(params, "Params.yaml"), "utf8")));
    expect(s.mode).toBe("pyradiomics");
    expect(s.discretisation).toEqual({ method: "fixedBinSize", binWidth: 25, lowerBound: null });
    expect(s.interpolator).toBe("bspline");
    expect(s.resampledSpacing).toBeNull();
    expect(s.featureClass?.firstorder).toBeNull();
    expect(s.featureClass?.glcm).toContain("Idmn");
    expect(s.featureClass?.glcm).not.toContain("SumAverage");
  });
  it("reads exampleMR_3mm.yaml's image types: Original, LoG (sigma 2-5 mm, named as Python prints floats), Wavelet (coif1)", () => {
    const s = resolveSettings(parsePyradiomicsParams(readFileSync(path.join(params, "exampleMR_3mm.yaml"), "utf8")));
    expect(s.imageTypes.map((t) => t.type)).toEqual(["Original", "LoG", "Wavelet"]);
    const log = s.imageTypes[1];
    expect(log.type === "LoG" && log.sigma.map((x) => x.name)).toEqual(["2.0", "3.0", "4.0", "5.0"]);
    expect(s.imageTypes[2]).toMatchObject({ type: "Wavelet", wavelet: "coif1", level: 1, startLevel: 0 });
  });
  it("names integer sigmas as pyradiomics does (sigma: [3] -> log-sigma-3-mm-3D) and takes filter settings from `setting`", () => {
    const s = resolveSettings(
      parsePyradiomicsParams(
        "imageType:\n  LoG: {sigma: [3, 1.5]}\n  Wavelet: {}\nsetting:\n  wavelet: haar\n  start_level: 1\n  level: 2\n",
      ),
    );
    const log = s.imageTypes[0];
    expect(log.type === "LoG" && log.sigma.map((x) => x.name)).toEqual(["3", "1.5"]);
    expect(s.imageTypes[1]).toMatchObject({ type: "Wavelet", wavelet: "haar", level: 2, startLevel: 1 });
  });
  it("refuses image types and options it cannot compute instead of ignoring them", () => {
    expect(() => parsePyradiomicsParams("imageType:\n  LBP3D: {}\n")).toThrow(/LBP3D is not supported/);
    expect(() => parsePyradiomicsParams("imageType:\n  Foo: {}\n")).toThrow(/unknown image type Foo/);
    expect(() => parsePyradiomicsParams("imageType:\n  LoG: {}\n")).toThrow(/LoG needs sigma/);
    expect(() => parsePyradiomicsParams("imageType:\n  LoG: {sigma: [0]}\n")).toThrow(/greater than 0/);
    expect(() => resolveSettings(parsePyradiomicsParams("imageType:\n  Wavelet: {wavelet: bior1.3}\n"))).toThrow(
      /supported wavelets/,
    );
    expect(() => parsePyradiomicsParams("imageType:\n  Original: {resampledPixelSpacing: [1, 1, 1]}\n")).toThrow(
      /per image type/,
    );
  });
  it("maps settings and rejects unknown keys with SETTINGS_INVALID", () => {
    const s = resolveSettings(
      parsePyradiomicsParams(
        "setting:\n  binCount: 64\n  resampledPixelSpacing: [2, 2, 2]\n  resegmentRange: [-3, 3]\n  resegmentMode: sigma\n  gldm_a: 1\n  distances: [2]\n  weightingNorm: no_weighting\n",
      ),
    );
    expect(s.discretisation).toEqual({ method: "fixedBinNumber", binCount: 64 });
    expect(s.resampledSpacing).toEqual([2, 2, 2]);
    expect(s.resegmentRange).toEqual([-3, 3]);
    expect(s.resegmentMode).toBe("sigma");
    expect(s.ngldmAlpha).toBe(1);
    expect(s.distance).toBe(2);
    expect(s.weightingNorm).toBe("no_weighting");
    try {
      parsePyradiomicsParams("setting:\n  binWdth: 5\n");
      expect.unreachable();
    } catch (e) {
      expect(isNacError(e) && e.code).toBe("SETTINGS_INVALID");
    }
  });
});

describe("resolveSettings / settingsHash", () => {
  it("hashes equal settings equally whatever the key order, and differently otherwise", () => {
    const a = resolveSettings({ mode: "ibsi", label: 2, outlierSigma: 3 });
    const b = resolveSettings({ outlierSigma: 3, label: 2, mode: "ibsi" });
    expect(settingsHash(a)).toBe(settingsHash(b));
    expect(settingsHash(a)).not.toBe(settingsHash(resolveSettings({ mode: "ibsi", label: 2 })));
  });
  it("rejects unknown keys, pyradiomics-only settings in ibsi mode and families a mode lacks", () => {
    expect(() => resolveSettings({ binWidth: 25 })).toThrow(/invalid radiomics settings/);
    expect(() => resolveSettings({ mode: "ibsi", force2D: true })).toThrow(/pyradiomics settings/);
    expect(() => resolveSettings({ mode: "pyradiomics", families: ["gldzm"] })).toThrow(/not available/);
  });
});

describe("resampledPixelSpacing with 0", () => {
  it("keeps that axis' spacing, as pyradiomics", () => {
    const s = resolveSettings(parsePyradiomicsParams("setting:\n  resampledPixelSpacing: [2, 2, 0]\n"));
    expect(s.resampledSpacing).toEqual([2, 2, 0]);
    expect(() => parsePyradiomicsParams("setting:\n  resampledPixelSpacing: [2, -1, 0]\n")).toThrow(/>= 0/);
  });
});
