/**
 * End-to-end checks of the generator on a two-patient cohort written to disk: determinism of the whole output tree,
 * DICOM validity (dcmjs and lib/imaging), geometry against the in-process API, series roles, and the tumour masks.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readNifti } from "../../imaging/nifti";
import { readSeg } from "../../imaging/seg";
import { classifySeriesRole, readDicomSeries } from "../../imaging/series";
import { SERIES_DIR } from "../cohort";
import { SYNTHETIC_NOTICE } from "../dicom-series";
import { generatePatient, type GeneratedPatient } from "../generate-patient";
import { breastDepthToSkin, breastRho, wallY } from "../scene";
import { writeCohort } from "./write-cohort";

interface DcmjsNaturalized {
  [key: string]: unknown;
}
interface Dcmjs {
  data: {
    DicomMessage: {
      readFile(buf: ArrayBuffer): { dict: Record<string, unknown>; meta: Record<string, { Value: unknown[] }> };
    };
    DicomMetaDictionary: { naturalizeDataset(d: Record<string, unknown>): DcmjsNaturalized };
  };
}
const dcmjs = createRequire(import.meta.url)("dcmjs") as Dcmjs;

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir)
    .flatMap((f) => {
      const abs = path.join(dir, f);
      return statSync(abs).isDirectory() ? listFiles(abs, base) : [path.relative(base, abs)];
    })
    .sort();
}

function treeHash(dir: string): string {
  const h = createHash("sha256");
  for (const rel of listFiles(dir)) {
    h.update(rel + "\0");
    h.update(readFileSync(path.join(dir, rel)));
  }
  return h.digest("hex");
}

const tmp = mkdtempSync(path.join(os.tmpdir(), "nac-synth-"));
const dirA1 = path.join(tmp, "a1");
const dirA2 = path.join(tmp, "a2");
const dirB = path.join(tmp, "b");
let inProcess: GeneratedPatient;

beforeAll(() => {
  writeCohort({ patients: 2, seed: "test-A", outDir: dirA1, monteCarloPatients: 400 });
  writeCohort({ patients: 2, seed: "test-A", outDir: dirA2, monteCarloPatients: 400 });
  writeCohort({ patients: 1, seed: "test-B", outDir: dirB, monteCarloPatients: 400 });
  inProcess = generatePatient("test-A", 0, { dicom: false, nifti: false, seg: false });
}, 300_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const P1 = "patients/DEMO-PATIENT-001";

describe("synthetic cohort on disk", () => {
  it("same seed gives byte-identical output trees; a different seed gives different bytes", () => {
    const files = listFiles(dirA1);
    // 2 patients x (56 + 34 + 40 slices + 3 NIfTI masks + 3 SEG) + clinical.csv, outcomes.csv, manifest.json
    expect(files.length).toBe(2 * (56 + 34 + 40 + 3 + 3) + 3);
    expect(treeHash(dirA2)).toBe(treeHash(dirA1));
    const a = listFiles(path.join(dirA1, P1));
    const b = listFiles(path.join(dirB, P1));
    expect(b).toEqual(a);
    const same = a.filter((rel) =>
      readFileSync(path.join(dirA1, P1, rel)).equals(readFileSync(path.join(dirB, P1, rel))),
    );
    expect(same).toEqual([]);
    // Different seeds never share a PatientID.
    const idOf = (dir: string) => readFileSync(path.join(dir, "outcomes.csv"), "utf8").split("\n")[1].split(",")[0];
    expect(idOf(dirA1)).toMatch(/^DEMO-PATIENT-001-[0-9A-F]{6}$/);
    expect(idOf(dirB)).toMatch(/^DEMO-PATIENT-001-[0-9A-F]{6}$/);
    expect(idOf(dirB)).not.toBe(idOf(dirA1));
  });

  it("writes valid DICOM Part 10 that dcmjs parses, with the promised identifiers and tags", () => {
    const seen: Record<string, { study: string; series: string; frame: string }> = {};
    for (const [role, dir] of Object.entries(SERIES_DIR)) {
      const names = listFiles(path.join(dirA1, P1, dir));
      const sops = new Set<string>();
      for (const name of names) {
        const buf = readFileSync(path.join(dirA1, P1, dir, name));
        const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
        const parsed = dcmjs.data.DicomMessage.readFile(ab);
        expect(parsed.meta["00020010"].Value[0]).toBe("1.2.840.10008.1.2.1");
        const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(parsed.dict);
        expect(ds.PatientName).toEqual([{ Alphabetic: "DEMO^PATIENT-001" }]);
        expect(ds.PatientID).toBe(inProcess.patientId);
        expect(ds.PatientComments).toBe(SYNTHETIC_NOTICE);
        expect(ds.ImageComments).toBe(SYNTHETIC_NOTICE);
        expect(ds.Modality).toBe(role === "CT" ? "CT" : "MR");
        expect(ds.BodyPartExamined).toBe(role === "CT" ? "CHEST" : "BREAST");
        expect(ds.SOPClassUID).toBe(role === "CT" ? "1.2.840.10008.5.1.4.1.1.2" : "1.2.840.10008.5.1.4.1.1.4");
        expect(ds.ImageOrientationPatient).toEqual([1, 0, 0, 0, 1, 0]);
        for (const uid of [ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID, ds.FrameOfReferenceUID]) {
          expect(uid).toMatch(/^2\.25\.[1-9][0-9]*$/);
        }
        sops.add(ds.SOPInstanceUID as string);
        if (role === "CT") {
          expect(ds.RescaleIntercept).toBe(-1024);
          expect(ds.RescaleSlope).toBe(1);
          expect(ds.ContrastBolusAgent).toBeTruthy();
        } else {
          expect(ds.EchoTime).toBeGreaterThan(0);
          expect(ds.RepetitionTime).toBeGreaterThan(0);
          expect(ds.ScanningSequence).toBeTruthy();
        }
        seen[role] = {
          study: ds.StudyInstanceUID as string,
          series: ds.SeriesInstanceUID as string,
          frame: ds.FrameOfReferenceUID as string,
        };
      }
      expect(sops.size).toBe(names.length);
    }
    expect(seen["CE-T1"].frame).toBe(seen.T2.frame);
    expect(seen["CE-T1"].study).toBe(seen.T2.study);
    expect(seen.CT.frame).not.toBe(seen.T2.frame);
    expect(seen.CT.study).not.toBe(seen.T2.study);
    expect(seen["CE-T1"].series).not.toBe(seen.T2.series);
  });

  it("loads in lib/imaging with the intended geometry and voxels, and the classifier assigns CE-T1 / T2 / CT", async () => {
    for (const s of inProcess.series) {
      const dir = path.join(dirA1, P1, SERIES_DIR[s.role]);
      const files = listFiles(dir).map((f) => new Uint8Array(readFileSync(path.join(dir, f))));
      const series = await readDicomSeries(files);
      expect(series).toHaveLength(1);
      const v = series[0].volume;
      expect(v.dims).toEqual(s.volume.dims);
      v.spacing.forEach((x, a) => expect(Math.abs(x - s.volume.spacing[a])).toBeLessThan(1e-9));
      v.origin.forEach((x, a) => expect(Math.abs(x - s.volume.origin[a])).toBeLessThan(1e-6));
      v.direction.forEach((x, a) => expect(Math.abs(x - s.volume.direction[a])).toBeLessThan(1e-12));
      let diff = 0;
      for (let i = 0; i < v.data.length; i++) if (v.data[i] !== s.volume.data[i]) diff++;
      expect(diff).toBe(0);
      const m = series[0].meta;
      const role = classifySeriesRole({
        modality: m.modality,
        seriesDescription: m.seriesDescription,
        protocolName: m.protocolName,
        acquisition: m.acquisition,
      });
      expect(role.role).toBe(s.role);
    }
  });

  it("writes non-empty tumour masks on each series grid, lying inside the breast", () => {
    for (const s of inProcess.series) {
      const nii = readNifti(
        new Uint8Array(readFileSync(path.join(dirA1, P1, "masks", `${SERIES_DIR[s.role]}_tumour.nii.gz`))),
      );
      expect(nii.dims).toEqual(s.mask.dims);
      nii.origin.forEach((x, a) => expect(Math.abs(x - s.mask.origin[a])).toBeLessThan(1e-3));
      nii.spacing.forEach((x, a) => expect(Math.abs(x - s.mask.spacing[a])).toBeLessThan(1e-5));
      let count = 0;
      let mismatch = 0;
      let outside = 0;
      const scene = s.role === "CT" ? inProcess.scenes.supine : inProcess.scenes.prone;
      const [nx, ny] = s.mask.dims;
      for (let idx = 0; idx < s.mask.data.length; idx++) {
        if (nii.data[idx] !== s.mask.data[idx]) mismatch++;
        if (!s.mask.data[idx]) continue;
        count++;
        const i = idx % nx,
          j = Math.floor(idx / nx) % ny,
          k = Math.floor(idx / (nx * ny));
        const x = s.mask.origin[0] + i * s.mask.spacing[0];
        const y = s.mask.origin[1] + j * s.mask.spacing[1];
        const z = s.mask.origin[2] + k * s.mask.spacing[2];
        if (!(
          breastRho(scene, x, y, z) < 1 &&
          wallY(scene, x) - y > 0 &&
          breastDepthToSkin(scene, x, y, z) > scene.skin
        ))
          outside++;
      }
      expect(mismatch).toBe(0);
      expect(count).toBe(s.tumourVoxels);
      expect(outside).toBe(0);
      // The mask volume matches the planted tumour volume (voxelisation error only).
      const ml = (count * s.mask.spacing[0] * s.mask.spacing[1] * s.mask.spacing[2]) / 1000;
      expect(Math.abs(ml / inProcess.latent.volumeMl - 1)).toBeLessThan(0.06);
    }
  });

  it("writes each tumour ROI as a DICOM SEG that lib/imaging reads back onto its series, voxel for voxel", async () => {
    for (const s of inProcess.series) {
      const bytes = new Uint8Array(readFileSync(path.join(dirA1, P1, "masks", `${SERIES_DIR[s.role]}_tumour_seg.dcm`)));
      const dir = path.join(dirA1, P1, SERIES_DIR[s.role]);
      const series = await readDicomSeries(listFiles(dir).map((f) => new Uint8Array(readFileSync(path.join(dir, f)))));
      const ref = {
        ...series[0].volume,
        sopInstanceUids: series[0].meta.sopInstanceUids,
        frameOfReferenceUid: series[0].meta.frameOfReferenceUid,
      };
      const seg = await readSeg(bytes, ref);
      expect(seg.referencedSeriesUids).toEqual([s.seriesInstanceUid]);
      expect(seg.segments).toHaveLength(1);
      const m = seg.segments[0].mask.data;
      let mismatch = 0;
      for (let i = 0; i < m.length; i++) if ((m[i] ? 1 : 0) !== s.mask.data[i]) mismatch++;
      expect(mismatch).toBe(0);
      expect(seg.segments[0].voxelCount).toBe(s.tumourVoxels);
    }
  });

  it("writes clinical.csv, outcomes.csv and a manifest consistent with the files", () => {
    const clinical = readFileSync(path.join(dirA1, "clinical.csv"), "utf8").trim().split("\n");
    const outcomes = readFileSync(path.join(dirA1, "outcomes.csv"), "utf8").trim().split("\n");
    expect(clinical).toHaveLength(3);
    expect(outcomes[0]).toBe("patient_id,pcr,response");
    expect(outcomes[1]).toBe(`${inProcess.patientId},${inProcess.outcome.pcr},${inProcess.outcome.response}`);
    const manifest = JSON.parse(readFileSync(path.join(dirA1, "manifest.json"), "utf8"));
    expect(manifest.patients).toHaveLength(2);
    const p = manifest.patients[0];
    expect(p.planted.probabilities.pPcr).toBeCloseTo(inProcess.probabilities.pPcr, 12);
    for (const s of p.series) {
      for (const f of s.files)
        expect(statSync(path.join(dirA1, p.directory, s.directory, f)).size).toBeGreaterThan(256 * 256 * 2);
      expect(statSync(path.join(dirA1, p.directory, s.maskNifti)).isFile()).toBe(true);
      expect(statSync(path.join(dirA1, p.directory, s.maskSeg)).isFile()).toBe(true);
    }
    expect(manifest.bayes.population.pcr.balancedAccuracy).toBeGreaterThan(0.6);
  });
});
