import { describe, expect, it } from "vitest";
import { peritumoralShell } from "../../imaging/peritumoral";
import { makeVolume, type Mask, type Vec3 } from "../../imaging/volume";
import { extractDeepFeatures } from "../../deep/extract";
import type { EncoderSession } from "../../deep/runtime";
import { extractFeatures } from "../../radiomics/extract";
import { bundleFeatureSpec, caseSpecFromBundle, CASE_SPEC_ENTRY, parseCaseFeatureName } from "./bundle";
import { blockParametersHash, caseBlocks, extractCaseFeatures, makeCaseFeatureSpec } from "./index";
import { encodeClinical } from "../../clinical/encoding";

const dims: Vec3 = [40, 36, 16];
const spacing: Vec3 = [0.8, 0.8, 2];

function phantom(seed: number) {
  const n = dims[0] * dims[1] * dims[2];
  const img = new Int16Array(n);
  const m = new Uint8Array(n);
  let s = seed;
  for (let k = 0, p = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++)
      for (let i = 0; i < dims[0]; i++, p++) {
        s = (s * 1103515245 + 12345) >>> 0;
        const r = ((i - 20) * 0.8) ** 2 / 49 + ((j - 18) * 0.8) ** 2 / 36 + ((k - 8) * 2) ** 2 / 64;
        img[p] = Math.round(100 + 60 * Math.sin(i / 3) + (s % 40) + (r < 1 ? 150 : 0));
        m[p] = r < 1 ? 1 : 0;
      }
  return { volume: makeVolume(img, { dims, spacing }), tumour: makeVolume(m, { dims, spacing }) as Mask };
}

/** Deterministic stand-in encoder (the wiring is under test, not the network): 4 summary statistics of the input. */
const fakeSession: EncoderSession = {
  runtime: "onnxruntime-node",
  async run(input: Float32Array) {
    let sum = 0,
      max = -Infinity,
      nz = 0;
    for (const v of input) {
      sum += v;
      if (v > max) max = v;
      if (v !== 0) nz++;
    }
    return { features: Float32Array.from([sum / input.length, max, nz, input[0]]) };
  },
  async release() {},
} as unknown as EncoderSession;

const clinical = {
  ageYears: 47,
  menopausalStatus: "pre",
  er: "negative",
  pr: "negative",
  her2: "negative",
  ki67Percent: 60,
  grade: "3",
  histology: "IDC (NST)",
  cT: "cT2",
  cN: "cN1",
  subtype: "TNBC",
};

describe("extractCaseFeatures", () => {
  const spec = makeCaseFeatureSpec({
    roles: ["CE_T1", "T2"],
    deep: { backbone: "resnet10", preprocess: { inputSize: [16, 16, 16] } },
  });
  const ctx = { deepSessions: { resnet10: { session: fakeSession } } };

  it("names every feature role.region.feature, matches the engines run directly, and encodes the clinical record", async () => {
    const a = phantom(1);
    const b = phantom(2);
    const f = await extractCaseFeatures(
      {
        series: [
          { role: "CE_T1", ...a },
          { role: "T2", ...b },
        ],
        clinical,
      },
      spec,
      ctx,
    );
    expect(f.missing).toEqual([]);
    const intra = extractFeatures(a.volume, a.tumour, { mode: "pyradiomics" });
    const peri = extractFeatures(b.volume, peritumoralShell(b.tumour, 5, { measureFrom: "surface-volume-matched" }), {
      mode: "pyradiomics",
    });
    expect(Object.keys(intra.features)).toHaveLength(107);
    for (const [k, v] of Object.entries(intra.features)) expect(f.values[`CE_T1.intra.${k}`]).toBe(v);
    for (const [k, v] of Object.entries(peri.features)) expect(f.values[`T2.peri.${k}`]).toBe(v);
    expect(f.values["CE_T1.intra.original_glcm_Contrast"]).toBeGreaterThan(0);
    // intra and peri differ (the shell excludes the bright tumour)
    expect(f.values["CE_T1.peri.original_firstorder_Mean"]).toBeLessThan(
      f.values["CE_T1.intra.original_firstorder_Mean"],
    );
    expect(f.values["CE_T1.peri.resnet10_002"]).toBeGreaterThan(0);
    expect(Object.keys(f.values).filter((k) => k.includes(".resnet10_"))).toHaveLength(4 * 4);
    expect(f.values).toMatchObject({
      "clinical.age": 47,
      "clinical.postmenopausal": 0,
      "clinical.er": 0,
      "clinical.her2": 0,
      "clinical.ki67": 60,
      "clinical.grade": 3,
      "clinical.cT": 2,
      "clinical.cN": 1,
      "clinical.tnbc": 1,
      "clinical.her2pos": 0,
      "clinical.hrpos": 0,
      "clinical.hrposHer2neg": 0,
      "clinical.lobular": 0,
    });
    for (const v of Object.values(f.values)) expect(Number.isFinite(v)).toBe(true);
    expect(Object.keys(f.values)).toHaveLength(2 * 2 * (107 + 4) + 14);
    for (const k of Object.keys(f.values)) expect(parseCaseFeatureName(k)).not.toBeNull();
  });

  it("measures the shell from the volume-matched sub-voxel surface by default, and from voxel centres for a spec without periShellMode", async () => {
    expect(spec.periShellMode).toBe("surface-volume-matched");
    const { periShellMode: _mode, ...legacy } = spec; // as stored in bundles trained before the field existed
    const a = phantom(1);
    const f = await extractCaseFeatures({ series: [{ role: "CE_T1", ...a }], clinical }, legacy, ctx);
    const s = await extractCaseFeatures({ series: [{ role: "CE_T1", ...a }], clinical }, spec, ctx);
    const centres = peritumoralShell(a.tumour, 5, { measureFrom: "centres" });
    const surface = peritumoralShell(a.tumour, 5, { measureFrom: "surface-volume-matched" });
    const count = (m: Mask) => m.data.reduce((n, v) => n + (v ? 1 : 0), 0);
    // On 2 mm slices the centres shell is thinner (a few % of its volume): the two modes really differ.
    expect(count(surface)).toBeGreaterThan(count(centres) * 1.02);
    for (const [k, v] of Object.entries(extractFeatures(a.volume, centres, { mode: "pyradiomics" }).features))
      expect(f.values[`CE_T1.peri.${k}`]).toBe(v);
    expect(s.values["CE_T1.peri.original_shape_VoxelVolume"]).toBe(count(surface) * 0.8 * 0.8 * 2);
    // Deep peri features of a legacy spec are those of lib/deep's own (centres) shell, bit for bit.
    const direct = await extractDeepFeatures(a.volume, a.tumour, {
      region: "peri",
      marginMm: 5,
      backbone: "resnet10",
      session: fakeSession,
      preprocess: { inputSize: [16, 16, 16] },
    });
    direct.features.forEach((v, i) => expect(f.values[`CE_T1.peri.resnet10_${String(i).padStart(3, "0")}`]).toBe(v));
    expect(s.values["CE_T1.peri.resnet10_002"]).not.toBe(f.values["CE_T1.peri.resnet10_002"]);
    // The shell mode is part of the block's cache key, and a legacy spec keeps its old key.
    const peri = { role: "CE_T1", region: "peri", extractor: "radiomics" } as const;
    expect(blockParametersHash(peri, legacy)).not.toBe(blockParametersHash(peri, spec));
    expect(blockParametersHash(peri, legacy)).toBe(blockParametersHash(peri, { ...legacy, periShellMode: "centres" }));
    expect(() => makeCaseFeatureSpec({ periShellMode: "faces" as never })).toThrow(/periShellMode/);
  });

  it("lists a missing series, a missing ROI and a missing clinical record instead of returning NaN", async () => {
    const a = phantom(1);
    const f = await extractCaseFeatures(
      { series: [{ role: "CE_T1", volume: a.volume, tumour: null }], clinical: null },
      spec,
      ctx,
    );
    expect(f.values).toEqual({});
    expect(f.missing).toContainEqual({ name: "CE_T1.*", reason: "no tumour ROI on the CE-T1 series" });
    expect(f.missing).toContainEqual({ name: "T2.*", reason: "no T2 series" });
    expect(f.missing).toContainEqual({ name: "clinical.ki67", reason: "no clinical record" });
    expect(f.missing.filter((m) => m.name === "T2.*")).toHaveLength(1);
  });

  it("reports an ROI that vanishes in a region as a block failure with the reason", async () => {
    const a = phantom(1);
    const full = makeVolume(new Uint8Array(a.tumour.data.length).fill(1), a.tumour) as Mask; // tumour fills the image: no shell
    const f = await extractCaseFeatures(
      { series: [{ role: "CE_T1", volume: a.volume, tumour: full }], clinical },
      makeCaseFeatureSpec({ roles: ["CE_T1"], deep: null }),
      {},
    );
    expect(f.values["CE_T1.intra.original_firstorder_Mean"]).toBeGreaterThan(0);
    expect(f.missing).toEqual([{ name: "CE_T1.peri.original_*", reason: expect.stringContaining("MASK_EMPTY") }]);
  });

  it("refuses deep features without an encoder session", async () => {
    const a = phantom(1);
    await expect(extractCaseFeatures({ series: [{ role: "CE_T1", ...a }], clinical }, spec, {})).rejects.toMatchObject({
      code: "SETTINGS_INVALID",
    });
  });
});

describe("clinical encodings", () => {
  it("reads numbers and the form's strings alike, and says why a value is missing", () => {
    const e = encodeClinical(
      {
        ageYears: "63",
        menopausalStatus: "post",
        er: "positive",
        pr: "negative",
        her2: "positive",
        ki67Percent: 150,
        grade: 2,
        histology: "ILC",
        cT: "cT4b",
        cN: "N2",
      },
      [
        "age",
        "postmenopausal",
        "er",
        "her2",
        "ki67",
        "grade",
        "cT",
        "cN",
        "tnbc",
        "her2pos",
        "hrpos",
        "hrposHer2neg",
        "lobular",
      ],
    );
    expect(e.values).toEqual({
      "clinical.age": 63,
      "clinical.postmenopausal": 1,
      "clinical.er": 1,
      "clinical.her2": 1,
      "clinical.grade": 2,
      "clinical.cT": 4,
      "clinical.cN": 2,
      "clinical.tnbc": 0,
      "clinical.her2pos": 1,
      "clinical.hrpos": 1,
      "clinical.hrposHer2neg": 0,
      "clinical.lobular": 1,
    });
    // From the record's subtype when given, else derived from ER/PR/HER2 (ER+ or PR+, HER2-).
    expect(encodeClinical({ subtype: "HR+/HER2-" }, ["hrposHer2neg", "tnbc"]).values).toEqual({
      "clinical.hrposHer2neg": 1,
      "clinical.tnbc": 0,
    });
    expect(encodeClinical({ er: "negative", pr: "positive", her2: "negative" }, ["hrposHer2neg"]).values).toEqual({
      "clinical.hrposHer2neg": 1,
    });
    expect(encodeClinical({ er: "positive", pr: "positive", her2: "positive" }, ["hrposHer2neg"]).values).toEqual({
      "clinical.hrposHer2neg": 0,
    });
    expect(encodeClinical({ er: "positive", pr: "positive" }, ["hrposHer2neg"]).missing).toEqual([
      { name: "clinical.hrposHer2neg", reason: "needs subtype or ER, PR and HER2" },
    ]);
    expect(e.missing).toEqual([{ name: "clinical.ki67", reason: "value 150 outside 0..100" }]);
  });
});

describe("case feature spec in a bundle", () => {
  it("round-trips through the bundle's feature specification and detects tampering", () => {
    const spec = makeCaseFeatureSpec({ deep: { backbone: "resnet10", roles: ["CE_T1"], regions: ["intra"] } });
    expect(caseBlocks(spec)).toHaveLength(3 * 2 + 1);
    const names = [
      "CE_T1.intra.original_glcm_Contrast",
      "CE_T1.intra.resnet10_017",
      "CT.peri.original_shape_Sphericity",
      "clinical.her2",
    ];
    const fs = bundleFeatureSpec(spec, names, "a".repeat(64));
    expect(fs.map((f) => f.name)).toEqual([...names, CASE_SPEC_ENTRY]);
    expect(fs[1]).toMatchObject({
      sourceRole: "CE_T1",
      region: "intra",
      extractor: "deep:resnet10",
      settingsHash: blockParametersHash({ role: "CE_T1", region: "intra", extractor: "deep" }, spec, "a".repeat(64)),
    });
    expect(fs[2]).toMatchObject({ region: "peri-5mm-surface-volume-matched", extractor: "radiomics:pyradiomics" });
    const { periShellMode: _m, ...legacy } = spec;
    expect(bundleFeatureSpec(legacy, names)[2]).toMatchObject({ region: "peri-5mm" });
    expect(bundleFeatureSpec({ ...spec, periShellMode: "surface" }, names)[2]).toMatchObject({
      region: "peri-5mm-surface",
    });
    expect(caseSpecFromBundle({ featureSpec: fs })).toEqual(spec);
    const tampered = fs.map((f) =>
      f.name === CASE_SPEC_ENTRY
        ? { ...f, description: f.description!.replace('"periMarginMm":5', '"periMarginMm":3') }
        : f,
    );
    expect(() => caseSpecFromBundle({ featureSpec: tampered })).toThrow(/does not match its hash/);
    expect(() => caseSpecFromBundle({ featureSpec: fs.slice(0, 2) })).toThrow(/no case feature specification/);
  });
});
