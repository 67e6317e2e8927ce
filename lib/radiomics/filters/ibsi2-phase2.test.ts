/**
 * Acceptance: IBSI 2 phase 2. Intensity-based statistics of filtered images of the CT radiomics phantom, every
 * configuration 1.A-9.B with a consensus value, each feature within the IBSI tolerance. The CT phantom is CC BY-NC
 * and stays in ../shared (beside the repository); without it these tests are skipped with a message.
 * Configuration A: 2D filters, no interpolation; B: 3D filters on the image interpolated to 1 mm (tricubic spline,
 * rounded; mask trilinear, threshold 0.5). Both: re-segmentation [-1000, 400] HU of the unfiltered image. The benchmark
 * leaves the boundary condition to the implementation: mirror, as the reference implementations use for the spatial
 * filters (2-7); periodic for the Fourier-domain Simoncelli wavelets (8, 9), which the reference implementation (MIRP)
 * transforms at the image's own size without padding, i.e. periodically.
 */
import { describe, expect, it, afterAll } from "vitest";
import path from "node:path";
import { existsSync, readFileSync } from "node:fs";
import { readNifti } from "@/lib/imaging/nifti";
import { makeVolume, type Mask, type Volume } from "@/lib/imaging/volume";
import { extractFeatures } from "../extract";
import type { SettingsInput } from "../settings";
import type { IbsiFilterInput } from "./ibsi";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
// ../shared beside the repository (CI: a fresh clone with shared/ beside it); NAC_SHARED_DIR overrides (worktrees).
const ctDir = path.resolve(
  process.env.NAC_SHARED_DIR ?? path.join(repoRoot, "../shared"),
  "data/ibsi/ct_phantom/nifti",
);
const present =
  existsSync(path.join(ctDir, "image/phantom.nii.gz")) && existsSync(path.join(ctDir, "mask/mask.nii.gz"));
if (!present)
  console.log(
    `IBSI 2 phase 2: CT phantom ABSENT (${ctDir}, CC BY-NC, not in the repository): configurations 1.A-9.B skipped`,
  );

const dataDir = path.resolve(import.meta.dirname, "../../testdata/ibsi2");
const rows = readFileSync(path.join(dataDir, "phase2_reference_values.csv"), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split(";"));

const PI8 = Math.PI / 8;
function filterOf(id: string, dim: "2D" | "3D"): IbsiFilterInput | null {
  const b = "mirror" as const;
  switch (id) {
    case "1":
      return null;
    case "2":
      return { filter: "mean", support: 5, boundary: b, dimensionality: dim };
    case "3":
      return { filter: "log", sigmaMm: 1.5, truncate: 4, boundary: b, dimensionality: dim };
    case "4":
      return {
        filter: "laws",
        kernel: dim === "2D" ? "L5E5" : "L5E5E5",
        rotationInvariant: true,
        pooling: "max",
        energyDelta: 7,
        boundary: b,
        dimensionality: dim,
      };
    case "5":
      return {
        filter: "gabor",
        sigmaMm: 5,
        lambdaMm: 2,
        gamma: 1.5,
        deltaTheta: PI8,
        pooling: "average",
        orthogonalPlanes: dim === "3D",
        boundary: b,
      };
    case "6":
      return {
        filter: "wavelet",
        wavelet: "db3",
        subband: dim === "2D" ? "LH" : "LLH",
        level: 1,
        rotationInvariant: true,
        pooling: "average",
        boundary: b,
        dimensionality: dim,
      };
    case "7":
      return {
        filter: "wavelet",
        wavelet: "db3",
        subband: dim === "2D" ? "HH" : "HHH",
        level: 2,
        rotationInvariant: true,
        pooling: "average",
        boundary: b,
        dimensionality: dim,
      };
    case "8":
      return { filter: "simoncelli", level: 1, boundary: "periodic", dimensionality: dim };
    case "9":
      return { filter: "simoncelli", level: 2, boundary: "periodic", dimensionality: dim };
  }
  throw new Error(`no filter ${id}`);
}

export function phase2Settings(config: string): SettingsInput {
  const [id, letter] = config.split(".");
  const dim = letter === "A" ? "2D" : "3D";
  const common: SettingsInput = {
    mode: "ibsi",
    families: ["intensity_statistics"],
    resegmentRange: [-1000, 400],
    filter: filterOf(id, dim) as SettingsInput["filter"],
  };
  if (letter === "A") return common;
  return {
    ...common,
    resampledSpacing: [1, 1, 1],
    interpolator: "bspline",
    roundIntensities: true,
    maskInterpolator: "linear",
    maskThreshold: 0.5,
  };
}

let image: Volume, mask: Mask;
function load(): void {
  if (image) return;
  const img = readNifti(new Uint8Array(readFileSync(path.join(ctDir, "image/phantom.nii.gz"))));
  const m = readNifti(new Uint8Array(readFileSync(path.join(ctDir, "mask/mask.nii.gz"))));
  // IBSI: calibrated integer data (HU) as such.
  const hu = new Float64Array(img.data.length);
  for (let i = 0; i < hu.length; i++) hu[i] = Math.round(img.data[i]);
  image = makeVolume(hu, img);
  mask = makeVolume(
    Uint8Array.from(m.data, (v) => (v ? 1 : 0)),
    m,
  ) as Mask;
}

const configs = [...new Set(rows.map((r) => r[0]))];

const summary: string[] = [];

describe.skipIf(!present)("IBSI 2 phase 2: filtered features of the CT phantom", () => {
  afterAll(() =>
    console.log(`IBSI 2 phase 2 (features within tolerance / with a consensus value):\n${summary.join("\n")}`),
  );
  it("covers the 18 configurations 1.A-9.B", () => expect(configs).toHaveLength(18));
  for (const config of configs) {
    // The timeout only catches a hang: 5.B (Gabor over 3 planes of the 1 mm grid, the slowest) took 11-12 min at load
    // average 25-35 on 2 cores.
    it(`configuration ${config}`, { timeout: 1_800_000 }, () => {
      load();
      const t0 = performance.now();
      const r = extractFeatures(image, mask, phase2Settings(config));
      const seconds = ((performance.now() - t0) / 1000).toFixed(0);
      const bad: string[] = [];
      let n = 0;
      for (const [, , tag, value, tol] of rows.filter((x) => x[0] === config)) {
        if (value === "" || value === undefined) continue;
        n++;
        const got = r.features[tag];
        if (got === undefined || !(Math.abs(got - Number(value)) <= Number(tol)))
          bad.push(`${tag}: ${got} vs ${value} +- ${tol}`);
      }
      summary.push(`  ${config}: ${n - bad.length}/${n}`);
      console.log(
        `IBSI 2 phase 2 ${config}: ${n - bad.length}/${n} within tolerance (${seconds} s)${bad.length ? `; off: ${bad.join("; ")}` : ""}`,
      );
      expect(bad).toEqual([]);
    });
  }
});
