/** Test fixtures (Node only): the IBSI digital phantom, pyradiomics cases, .npy and baseline CSV readers. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { readNifti } from "@/lib/imaging/nifti";
import { readNrrd } from "@/lib/imaging/nrrd";
import { discretiseIbsi, discretisePyradiomics, type PyradiomicsDiscretisation } from "../../discretise";
import type { DiscretisedRoi } from "../types";

export const TESTDATA = path.resolve(import.meta.dirname, "../../../testdata");

function bytes(p: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(TESTDATA, p)));
}

/** The IBSI digital phantom: grey levels 1..6 used as they are (FBS width 1 from level 1, i.e. no re-binning). */
export function digitalPhantom(): DiscretisedRoi {
  const im = readNifti(bytes("ibsi-digital-phantom/nifti/image/phantom.nii.gz"));
  const mk = readNifti(bytes("ibsi-digital-phantom/nifti/mask/mask.nii.gz"));
  const roi = discretiseIbsi(
    { dims: im.dims, spacing: im.spacing, values: im.data, mask: mk.data },
    { method: "FBS", binWidth: 1, lowerBound: 1 },
  );
  return roi;
}

/** IBSI reference rows: tag -> { value, tolerance } (rows without a consensus value are skipped). */
export function ibsiReference(file: string): Map<string, { value: number; tolerance: number; text: string }> {
  const out = new Map<string, { value: number; tolerance: number; text: string }>();
  const lines = readFileSync(path.join(TESTDATA, "ibsi/reference_values", file), "utf8").split(/\r?\n/);
  for (const line of lines.slice(1)) {
    const [v, t, tag] = line.split(";");
    if (!tag || v === undefined || v.trim() === "") continue;
    out.set(tag.trim(), { value: Number(v), tolerance: Number(t || 0), text: v.trim() });
  }
  return out;
}

export type PyradCase = "brain1" | "brain2" | "breast1";

/** A pyradiomics test case (label 1), discretised as pyradiomics does. */
export function pyradiomicsCase(name: PyradCase, d: PyradiomicsDiscretisation = { binWidth: 25 }): DiscretisedRoi {
  const im = readNrrd(bytes(`pyradiomics/${name}_image.nrrd`));
  const lb = readNrrd(bytes(`pyradiomics/${name}_label.nrrd`));
  const mask = new Uint8Array(lb.data.length);
  for (let i = 0; i < mask.length; i++) mask[i] = lb.data[i] === 1 ? 1 : 0;
  return discretisePyradiomics({ dims: im.dims, spacing: im.spacing, values: im.data, mask }, d);
}

/** Minimal .npy reader (little-endian float64, C or Fortran order); returns C-order data. */
export function readNpy(rel: string): { shape: number[]; data: Float64Array } {
  const b = bytes(rel);
  if (b[0] !== 0x93 || String.fromCharCode(...b.subarray(1, 6)) !== "NUMPY") throw new Error(`${rel}: not a .npy file`);
  const major = b[6];
  const hlen = major === 1 ? b[8] | (b[9] << 8) : b[8] | (b[9] << 8) | (b[10] << 16) | (b[11] << 24);
  const hstart = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(b.subarray(hstart, hstart + hlen));
  if (!header.includes("'<f8'")) throw new Error(`${rel}: unsupported header ${header}`);
  const fortran = header.includes("'fortran_order': True");
  const shape = header
    .match(/'shape': \(([^)]*)\)/)![1]
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const start = hstart + hlen;
  const raw = new Float64Array(
    b.slice(start).buffer,
    0,
    shape.reduce((a, c) => a * c, 1),
  );
  if (!fortran) return { shape, data: raw };
  if (shape.length !== 2) throw new Error(`${rel}: Fortran order only supported for 2-D arrays`);
  const [r, c] = shape;
  const data = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) data[i * c + j] = raw[j * r + i];
  return { shape, data };
}

/** pyradiomics baseline CSV: feature -> column -> value (numbers only). */
export function pyradiomicsBaseline(cls: string): Map<string, Map<string, number>> {
  const text = readFileSync(path.join(TESTDATA, `pyradiomics/baseline-matrices/baseline_${cls}.csv`), "utf8");
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0].split(",");
  const out = new Map<string, Map<string, number>>();
  for (const line of lines.slice(1)) {
    if (!line.startsWith("original_")) continue; // diagnostics rows contain commas inside quoted values
    const cells = line.split(",");
    const row = new Map<string, number>();
    header.slice(1).forEach((col, k) => row.set(col, Number(cells[k + 1])));
    out.set(cells[0], row);
  }
  return out;
}
