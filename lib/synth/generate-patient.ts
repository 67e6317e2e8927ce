/**
 * The in-process generator API: one synthetic patient with its three series (pixels, masks, DICOM files, NIfTI
 * masks), clinical record, latent variables and planted outcomes. Pure TypeScript (no Node APIs): usable from the
 * CLI, from `demo train` and in the browser.
 */
import { gzipSync } from "fflate";
import type { ClinicalRecord } from "./clinical";
import { encodeImageSeries, patientIdentifiers, SERIES_DESCRIPTORS, type PatientIdentifiers } from "./dicom-series";
import { writeNifti } from "../imaging/nifti";
import type { Mask, Volume } from "../imaging/volume";
import type { OutcomeProbabilities } from "./outcome-model";
import { samplePatientModel, type AnatomyParams, type TumourLatents } from "./patient-model";
import type { SeriesRole } from "./render";
import { renderPatient, SERIES_ROLES } from "./render-patient";
import { encodeTumourSeg } from "./seg-series";
import type { Scene } from "./scene";

export interface GeneratePatientOptions {
  /** Encode the series as DICOM Part 10 files (default true). */
  dicom?: boolean;
  /** Encode each series' tumour mask as .nii.gz (default true). */
  nifti?: boolean;
  /**
   * gzip used for the .nii.gz masks; must be deterministic (no timestamp). Default: fflate (pure JS, browser-safe);
   * the Node file writer passes node:zlib, which is ~20x faster on these mostly-zero volumes.
   */
  gzip?: (bytes: Uint8Array) => Uint8Array;
  /** Encode each series' tumour mask as DICOM SEG referencing that series (default true). */
  seg?: boolean;
}

export interface GeneratedSeries {
  role: SeriesRole;
  modality: "MR" | "CT";
  seriesDescription: string;
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  /** MR: stored values (arbitrary units); CT: Hounsfield units. Same grid as the DICOM files. */
  volume: Volume<Uint16Array> | Volume<Int16Array>;
  /** Tumour ROI (1 = tumour) on the series grid, evaluated at voxel centres. */
  mask: Mask;
  tumourVoxels: number;
  /** One Part 10 file per slice, InstanceNumber order (empty when options.dicom is false). */
  files: Uint8Array[];
  /** The tumour mask as gzipped NIfTI-1 (null when options.nifti is false). */
  maskNiftiGz: Uint8Array | null;
  /** The tumour mask as a DICOM SEG (BINARY) referencing this series (null when options.seg is false). */
  maskSeg: Uint8Array | null;
}

export interface GeneratedPatient {
  seed: string;
  index: number;
  patientId: string;
  patientName: string;
  clinical: ClinicalRecord;
  outcome: { pcr: 0 | 1; response: 0 | 1 };
  probabilities: OutcomeProbabilities;
  latent: TumourLatents;
  anatomy: AnatomyParams;
  identifiers: PatientIdentifiers;
  /** Patient geometry (prone for MR, supine for CT), e.g. to test where the tumour lies. */
  scenes: { prone: Scene; supine: Scene };
  series: GeneratedSeries[];
}

/** Deterministic gzip (no timestamp, no file name), so identical masks give identical bytes. */
export function gzipDeterministic(bytes: Uint8Array): Uint8Array {
  return gzipSync(bytes, { level: 6, mtime: 0 });
}

export function generatePatient(
  seed: string | number,
  index: number,
  opts: GeneratePatientOptions = {},
): GeneratedPatient {
  const m = samplePatientModel(seed, index);
  const rendered = renderPatient(m);
  const ids = patientIdentifiers(m);
  const series: GeneratedSeries[] = SERIES_ROLES.map((role) => {
    const r = rendered.series[role];
    const d = SERIES_DESCRIPTORS[role];
    return {
      role,
      modality: d.modality,
      seriesDescription: d.seriesDescription,
      seriesInstanceUid: ids.seriesInstanceUid[role],
      frameOfReferenceUid: ids.frameOfReferenceUid[d.studyKey],
      volume: r.volume,
      mask: r.mask,
      tumourVoxels: r.tumourVoxels,
      files: opts.dicom === false ? [] : encodeImageSeries(m, ids, role, r.volume),
      maskNiftiGz:
        opts.nifti === false
          ? null
          : (opts.gzip ?? gzipDeterministic)(
              writeNifti(r.mask, { description: `${m.patientId} ${role} tumour ROI (synthetic)` }),
            ),
      maskSeg: opts.seg === false ? null : encodeTumourSeg(m, ids, role, r.mask),
    };
  });
  return {
    seed: m.seed,
    index,
    patientId: m.patientId,
    patientName: m.patientName,
    clinical: m.clinical,
    outcome: m.outcome,
    probabilities: m.probabilities,
    latent: m.tumour,
    anatomy: m.anatomy,
    identifiers: ids,
    scenes: rendered.scenes,
    series,
  };
}
