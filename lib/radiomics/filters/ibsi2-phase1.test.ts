/**
 * Acceptance: IBSI 2 phase 1. Every one of the 33 consensus response maps, each voxel within 1 % of the reference map's
 * range (the IBSI rule). The maps are stored quantised to 16 bits (lib/testdata/ibsi2/README.md); the quantisation
 * error is subtracted from the allowance, so the check is never looser than the rule on the original maps.
 */
import { describe, expect, it, afterAll } from "vitest";
import path from "node:path";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { readNifti } from "@/lib/imaging/nifti";
import type { Vec3 } from "@/lib/imaging/volume";
import { applyIbsiFilter, type IbsiFilterInput } from "./ibsi";
import type { FilterGrid } from "./grid";

const dir = path.resolve(import.meta.dirname, "../../testdata/ibsi2");
interface MapEntry {
  id: string;
  file: string;
  dims: Vec3;
  min: number;
  max: number;
  quantisation_error: number;
}
interface Phase1Test {
  id: string;
  phantom: string;
  filter: string;
  dimensionality: string;
  boundary_condition: string;
  parameters: Record<string, unknown>;
  reference_file: string | null;
}
const maps: MapEntry[] = JSON.parse(readFileSync(path.join(dir, "maps.json"), "utf8"));
const tests: Phase1Test[] = JSON.parse(readFileSync(path.join(dir, "phase1_tests.json"), "utf8")).tests;

function angle(v: unknown): number {
  if (typeof v === "number") return v;
  const s = String(v).replace(/pi/g, String(Math.PI));
  if (!/^[\d.*/+\- ]+$/.test(s)) throw new Error(`bad angle ${String(v)}`);
  return Function(`return (${s})`)() as number;
}

/** phase1_tests.json parameters -> our filter specification. */
export function specOf(t: Phase1Test): IbsiFilterInput {
  const p = t.parameters as Record<string, never>;
  const boundary = t.boundary_condition as "zero";
  const dimensionality = t.dimensionality.startsWith("2D") ? "2D" : "3D";
  switch (t.filter) {
    case "mean":
      return { filter: "mean", support: p.support_voxels, boundary, dimensionality };
    case "laplacian_of_gaussian":
      return { filter: "log", sigmaMm: p.sigma_mm, truncate: p.truncate_sigma, boundary, dimensionality };
    case "laws":
      return {
        filter: "laws",
        kernel: p.kernel,
        rotationInvariant: p.rotation_invariant,
        pooling: p.pooling ?? "max",
        energyDelta: p.energy ? p.energy_delta_voxels : null,
        boundary,
        dimensionality,
      };
    case "gabor":
      return {
        filter: "gabor",
        sigmaMm: p.sigma_mm,
        lambdaMm: p.lambda_mm,
        gamma: p.gamma,
        theta: p.rotation_invariant ? null : angle(p.theta_rad),
        deltaTheta: p.rotation_invariant ? angle(p.delta_theta_rad) : null,
        pooling: p.pooling ?? "average",
        orthogonalPlanes: !!p.average_over_orthogonal_planes,
        boundary,
      };
    case "separable_wavelet":
    case "separable_wavelet_decomposed":
      return {
        filter: "wavelet",
        wavelet: p.wavelet,
        subband: p.subband,
        level: p.level,
        rotationInvariant: p.rotation_invariant,
        pooling: p.pooling ?? "average",
        boundary,
        dimensionality,
      };
    case "simoncelli":
      return { filter: "simoncelli", level: p.level, boundary, dimensionality };
    case "riesz_log":
      return {
        filter: "riesz_log",
        sigmaMm: p.sigma_mm,
        truncate: p.truncate_sigma,
        order: p.riesz_order,
        boundary,
        dimensionality,
      };
    case "riesz_simoncelli":
      return { filter: "riesz_simoncelli", level: p.level, order: p.riesz_order, boundary, dimensionality };
  }
  throw new Error(`unknown filter ${t.filter}`);
}

function phantom(name: string): FilterGrid {
  const v = readNifti(new Uint8Array(readFileSync(path.join(dir, "phantoms", `${name}.nii.gz`))));
  return { data: Float64Array.from(v.data), dims: v.dims, spacing: v.spacing };
}

function reference(m: MapEntry): Float64Array {
  const q = new Uint16Array(new Uint8Array(gunzipSync(readFileSync(path.join(dir, m.file)))).buffer);
  const out = new Float64Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = m.min + (q[i] * (m.max - m.min)) / 65535;
  return out;
}

const passes: Record<string, [number, number]> = {};
const family = (id: string) =>
  ({
    "1": "mean",
    "2": "LoG",
    "3": "Laws",
    "4": "Gabor",
    "5": "wavelet",
    "6": "wavelet",
    "7": "wavelet (decomposed)",
    "8": "Simoncelli",
    "9": "Riesz-LoG",
    "10": "Riesz-Simoncelli",
  })[id.split(".")[0]]!;

describe("IBSI 2 phase 1: consensus response maps", () => {
  afterAll(() => {
    const lines = Object.entries(passes).map(([f, [p, n]]) => `  ${f}: ${p}/${n}`);
    const total = Object.values(passes).reduce((a, [p, n]) => [a[0] + p, a[1] + n], [0, 0]);
    console.log(`IBSI 2 phase 1 pass count per filter:\n${lines.join("\n")}\n  total: ${total[0]}/${total[1]}`);
  });

  it("has 33 reference maps", () => expect(maps).toHaveLength(33));

  for (const m of maps) {
    const t = tests.find((x) => x.id === m.id)!;
    it(`${m.id} ${t.filter} (${t.dimensionality.slice(0, 2)}, ${t.boundary_condition})`, { timeout: 600_000 }, () => {
      const f = family(m.id);
      passes[f] ??= [0, 0];
      passes[f][1]++;
      const out = applyIbsiFilter(phantom(t.phantom), specOf(t));
      const ref = reference(m);
      const allowance = 0.01 * (m.max - m.min) - m.quantisation_error;
      let worst = 0,
        at = -1;
      for (let i = 0; i < ref.length; i++) {
        const e = Math.abs(out.data[i] - ref[i]);
        if (e > worst) {
          worst = e;
          at = i;
        }
      }
      const rel = worst / (m.max - m.min);
      console.log(
        `${m.id}: max |error| ${worst.toPrecision(3)} = ${(100 * rel).toPrecision(3)} % of range (voxel ${at})`,
      );
      expect(worst).toBeLessThanOrEqual(allowance);
      passes[f][0]++;
    });
  }
});
