/**
 * `nac mask convert --mask IN --reference IMAGE --out OUT`: a mask (DICOM SEG, RTSTRUCT, NIfTI or NRRD label map)
 * onto the reference image's grid, written as a label map (.nrrd, .nii, .nii.gz; value = segment number) or as a
 * binary DICOM SEG (.dcm; needs a DICOM reference series). Prints one JSON object with the voxel count per segment.
 */
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { NacError } from "../../lib/errors";
import { parseDicom, TAG } from "../../lib/imaging/dicom";
import { detectFormat, loadMask } from "../../lib/imaging/node/load-volume";
import { loadImageInput, readInputBytes } from "./inputs";
import { saveVolume } from "../../lib/imaging/node/save-volume";
import { rasterizeRoi, readRtStruct } from "../../lib/imaging/rtstruct";
import {
  mergeToLabelMap,
  readSeg,
  splitLabelMap,
  voxelsInMask,
  writeSeg,
  type NamedMask,
  type SegReference,
} from "../../lib/imaging/seg";
import type { DicomSeries } from "../../lib/imaging/series";
import type { Geometry } from "../../lib/imaging/volume";

interface ConvertOptions {
  mask: string;
  reference: string;
  out: string;
  series?: string;
  segment?: string;
  threshold?: string;
  resample?: boolean;
}

async function loadReference(p: string, seriesUid?: string): Promise<{ geometry: Geometry; series?: DicomSeries }> {
  const r = await loadImageInput(p, seriesUid);
  return { geometry: r.volume, series: r.series };
}

async function loadSegments(
  p: string,
  ref: { geometry: Geometry; series?: DicomSeries },
  o: ConvertOptions,
): Promise<NamedMask[]> {
  const format = await detectFormat(p);
  if (format !== "dicom") {
    const labels = await loadMask(p, ref.geometry, { resampleToReference: !!o.resample });
    return splitLabelMap(labels);
  }
  const ds = parseDicom(await readInputBytes(p));
  const modality = ds.string(TAG.Modality);
  if (modality === "SEG") {
    const segRef: SegReference = ref.series
      ? {
          ...ref.geometry,
          sopInstanceUids: ref.series.meta.sopInstanceUids,
          frameNumbers: ref.series.meta.frameNumbers,
          frameOfReferenceUid: ref.series.meta.frameOfReferenceUid,
        }
      : ref.geometry;
    const threshold = o.threshold === undefined ? undefined : Number(o.threshold);
    if (threshold !== undefined && !(threshold > 0 && threshold <= 1))
      throw new NacError("BAD_REQUEST", "--threshold must be in (0, 1]");
    const r = await readSeg(ds, segRef, { fractionalThreshold: threshold });
    return r.segments.map((s) => ({ number: s.segment.number, label: s.segment.label, mask: s.mask }));
  }
  if (modality === "RTSTRUCT") {
    return readRtStruct(ds)
      .rois.filter((roi) => roi.contours.some((c) => c.geometricType === "CLOSED_PLANAR"))
      .map((roi) => ({
        number: roi.number,
        label: roi.name,
        mask: rasterizeRoi(roi, { ...ref.geometry, frameOfReferenceUid: ref.series?.meta.frameOfReferenceUid }),
      }));
  }
  throw new NacError(
    "UNSUPPORTED_MEDIA",
    `${p}: DICOM ${modality ?? "object"} is not a mask (expected SEG or RTSTRUCT)`,
  );
}

function pick(segments: NamedMask[], which?: string): NamedMask[] {
  if (which === undefined) return segments;
  const chosen = segments.filter((s) => String(s.number) === which || s.label === which);
  if (!chosen.length) {
    throw new NacError(
      "NOT_FOUND",
      `no segment "${which}" (have ${segments.map((s) => `${s.number} "${s.label}"`).join(", ")})`,
    );
  }
  return chosen;
}

export function register(program: Command): void {
  const mask = program.command("mask").description("segmentation mask tools");
  mask
    .command("convert")
    .description("convert a SEG / RTSTRUCT / NIfTI / NRRD mask onto a reference image grid; prints voxels per segment")
    .requiredOption("--mask <path>", "DICOM SEG or RTSTRUCT file, or a NIfTI/NRRD label map")
    .requiredOption("--reference <path>", "reference image: DICOM folder/file, NIfTI or NRRD")
    .requiredOption("--out <path>", "output: .nrrd, .nii, .nii.gz (label map) or .dcm (binary DICOM SEG)")
    .option("--series <uid>", "SeriesInstanceUID when the reference folder holds several series")
    .option("--segment <number|label>", "keep only this segment / ROI")
    .option("--threshold <t>", "FRACTIONAL SEG threshold on value/max (inclusive), default 0.5")
    .option(
      "--resample",
      "resample a NIfTI/NRRD mask onto the reference grid (nearest) instead of failing on a mismatch",
    )
    .action(async (o: ConvertOptions) => {
      const ref = await loadReference(o.reference, o.series);
      const segments = pick(await loadSegments(o.mask, ref, o), o.segment);
      const lower = o.out.toLowerCase();
      if (lower.endsWith(".dcm")) {
        if (!ref.series)
          throw new NacError("BAD_REQUEST", "writing a DICOM SEG needs a DICOM reference series (--reference FOLDER)");
        const bytes = writeSeg(
          { geometry: ref.series.volume, meta: ref.series.meta },
          segments.map((s) => ({ mask: s.mask, label: s.label, number: s.number })),
        );
        try {
          await writeFile(o.out, bytes);
        } catch (e) {
          throw new NacError("STORAGE_FAILED", `cannot write ${o.out}: ${(e as Error).message}`);
        }
      } else {
        await saveVolume(o.out, mergeToLabelMap(segments));
      }
      const result = {
        out: o.out,
        segments: segments.map((s) => ({ number: s.number, label: s.label, voxels: voxelsInMask(s.mask) })),
      };
      process.stdout.write(JSON.stringify(result, null, 1) + "\n");
    });
}
