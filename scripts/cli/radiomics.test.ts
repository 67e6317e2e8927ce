import { describe, expect, it } from "vitest";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { buildSettings, formatResult } from "./radiomics";
import type { RadiomicsResult } from "../../lib/radiomics/extract";
import { resolveSettings } from "../../lib/radiomics/settings";

describe("nac radiomics options", () => {
  it("applies pyradiomics setting names in pyradiomics mode and schema keys otherwise", () => {
    const s = buildSettings({ mode: "pyradiomics", setting: ["binWidth=5", "voxelArrayShift=300"], label: "2" });
    expect(s).toMatchObject({
      mode: "pyradiomics",
      label: 2,
      voxelArrayShift: 300,
      discretisation: { method: "fixedBinSize", binWidth: 5 },
    });
    const i = buildSettings({
      setting: ['discretisation={"method":"fixedBinNumber","binCount":6}', "outlierSigma=3"],
      label: "1",
    });
    expect(resolveSettings(i)).toMatchObject({
      mode: "ibsi",
      outlierSigma: 3,
      discretisation: { method: "fixedBinNumber", binCount: 6 },
    });
  });
  it("keeps a parameter file's label unless --label is given", () => {
    expect(buildSettings({ setting: [] }, "setting:\n  label: 2\n").label).toBe(2);
    expect(buildSettings({ setting: [], label: "3" }, "setting:\n  label: 2\n").label).toBe(3);
    expect(() => buildSettings({ setting: [], label: "0" })).toThrow(/--label/);
  });
  it("rejects --params with --mode ibsi and malformed --setting", () => {
    expect(() => buildSettings({ mode: "ibsi", setting: [], label: "1" }, "setting: {}")).toThrow(
      /implies --mode pyradiomics/,
    );
    expect(() => buildSettings({ setting: ["novalue"], label: "1" })).toThrow(/key=value/);
  });
  it("prints name -> value with null for failures, or CSV", () => {
    const r = { features: { b: 2, a: 1 }, failures: { c: "degenerate" } } as unknown as RadiomicsResult;
    expect(JSON.parse(formatResult(r, "json", false))).toEqual({ a: 1, b: 2, c: null });
    expect(formatResult(r, "csv", true)).toBe("feature,value,error\na,1,\nb,2,\nc,,degenerate\n");
  });
});

describe("pyradiomics image types from the parameter file and --setting", () => {
  const params = path.resolve(import.meta.dirname, "../../lib/testdata/pyradiomics/params");
  const data = path.resolve(import.meta.dirname, "../../lib/testdata/pyradiomics");
  it("enables and disables image types with --setting imageType.<Type>=..., filter parameters by pyradiomics name", () => {
    const s = resolveSettings(
      buildSettings(
        {
          setting: [
            'imageType.LoG={"sigma":[1.5]}',
            "imageType.Original=null",
            "imageType.Wavelet={}",
            "wavelet=haar",
            "binWidth=10",
          ],
        },
        "imageType:\n  Original: {}\n",
      ),
    );
    expect(s.imageTypes.map((t) => t.type)).toEqual(["LoG", "Wavelet"]);
    expect(s.imageTypes[1]).toMatchObject({ wavelet: "haar" });
    expect(s.discretisation).toMatchObject({ binWidth: 10 });
    expect(() => buildSettings({ mode: "pyradiomics", setting: ["imageType.LBP3D={}"] })).toThrow(
      /LBP3D is not supported/,
    );
    expect(() => buildSettings({ mode: "pyradiomics", setting: ["imageType.LoG=5"] })).toThrow(/JSON mapping/);
  });

  it.each([
    // shape 14; per image firstorder 18 + glcm 22 (no SumAverage) + glrlm 16 + glszm 16 + gldm 14 = 86
    [
      "exampleMR_3mm.yaml",
      1 + 4 + 8,
      ["log-sigma-2-0-mm-3D_firstorder_Mean", "wavelet-LLH_glcm_Contrast", "wavelet-LLL_gldm_DependenceEntropy"],
    ],
    ["exampleCT.yaml", 1 + 5 + 8, ["log-sigma-1-0-mm-3D_glszm_ZoneEntropy", "wavelet-HHH_glrlm_RunEntropy"]],
    ["Params.yaml", 1, ["original_glcm_Idmn"]],
  ] as const)(
    "runs pyradiomics' %s through `nac radiomics --params` with pyradiomics' feature names",
    (file, images, names) => {
      const r = spawnSync(
        process.execPath,
        [
          path.resolve(import.meta.dirname, "../nac.mjs"),
          "radiomics",
          "--image",
          `${data}/brain1_image.nrrd`,
          "--mask",
          `${data}/brain1_label.nrrd`,
          "--params",
          `${params}/${file}`,
        ],
        { encoding: "utf8" },
      );
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout) as Record<string, number | null>;
      const keys = Object.keys(out);
      expect(keys).toHaveLength(14 + 86 * images);
      expect(keys.filter((k) => k.includes("_shape_")).every((k) => k.startsWith("original_shape_"))).toBe(true);
      for (const n of names) expect(typeof out[n]).toBe("number");
      expect(keys.some((k) => k.includes("SumAverage"))).toBe(false);
    },
    300_000,
  );
});
