/**
 * readSeg: DICOM Segmentation (BINARY, FRACTIONAL, LABELMAP; 1-bit packed or 8/16-bit; overlapping and several
 * segments) -> one Mask per segment on the referenced image's grid.
 *
 * Frame placement: each frame's slice is found by its source image (DerivationImageSequence ->
 * SourceImageSequence -> ReferencedSOPInstanceUID [+ ReferencedFrameNumber]) when the reference carries SOP UIDs,
 * otherwise by its ImagePositionPatient: the position of the frame's first pixel, mapped to the reference grid, must
 * land on a voxel centre within 0.05 voxel on every axis (integer in-plane offsets are allowed), the frame's
 * orientation must equal the grid's (1e-3 per component) and its pixel spacing must equal the grid's (1e-3 relative).
 * When both are available they must agree. If the reference names its FrameOfReferenceUID and the SEG has one, they
 * must be equal (coordinates from different frames of reference are not comparable). A frame with any non-zero pixel that falls outside the grid is
 * GEOMETRY_MISMATCH; empty frames outside the grid are ignored (they carry no voxels).
 * Values: BINARY -> non-zero; FRACTIONAL -> value / MaximumFractionalValue >= threshold (default 0.5; the fractions
 * themselves are returned too); LABELMAP -> pixel value == segment number (PixelPaddingValue and 0 are background).
 */
import { NacError } from "../../errors/nac-error";
import {
  decodePixelData,
  imageOrientation,
  imagePosition,
  parseDicom,
  pixelSpacing,
  TAG,
  type DicomDataset,
} from "../dicom";
import { lpsToIndex } from "../geometry";
import { makeVolume, type Geometry, type Mask, type Vec3, type Volume } from "../volume";

export type SegmentationType = "BINARY" | "FRACTIONAL" | "LABELMAP";

export interface SegmentInfo {
  number: number;
  label: string;
  description?: string;
  algorithmType?: string;
}

export interface SegmentMask {
  segment: SegmentInfo;
  /** 1 inside the segment, 0 outside, on the reference grid. */
  mask: Mask;
  voxelCount: number;
  /** FRACTIONAL only: value / MaximumFractionalValue per voxel (0 where no frame covers the voxel). */
  fractions?: Volume<Float32Array>;
}

export interface SegReference extends Geometry {
  /** SOP instance UID of each slice k (e.g. DicomSeries.meta.sopInstanceUids), to match frames by source image. */
  sopInstanceUids?: string[];
  /** 1-based frame of each slice k within its SOP instance (enhanced multi-frame references). */
  frameNumbers?: number[];
  /** When given, the SEG's FrameOfReferenceUID must equal it (a different frame of reference is GEOMETRY_MISMATCH). */
  frameOfReferenceUid?: string;
}

export interface ReadSegOptions {
  /** FRACTIONAL threshold on value / MaximumFractionalValue (inclusive). Default 0.5. */
  fractionalThreshold?: number;
}

export interface SegReadResult {
  segmentationType: SegmentationType;
  fractionalType?: string;
  frameOfReferenceUid?: string;
  /** SeriesInstanceUIDs the SEG says it references (ReferencedSeriesSequence). */
  referencedSeriesUids: string[];
  segments: SegmentMask[];
}

const SEG_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.66.4";
const LABELMAP_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.66.7";
const POS_TOL = 0.05;

const mismatch = (msg: string) => new NacError("GEOMETRY_MISMATCH", `SEG does not fit the reference image: ${msg}`);

function segments(ds: DicomDataset): SegmentInfo[] {
  return ds.sequence(TAG.SegmentSequence).map((s) => {
    const number = s.uint16(TAG.SegmentNumber);
    if (number === undefined) throw new NacError("DICOM_MALFORMED", "SEG segment without SegmentNumber (0062,0004)");
    return {
      number,
      label: s.string(TAG.SegmentLabel) ?? `Segment ${number}`,
      description: s.string(TAG.SegmentDescription),
      algorithmType: s.string(TAG.SegmentAlgorithmType),
    };
  });
}

/** Slice index of a frame from its source image UID, or undefined when the reference has no UIDs / no match. */
function sliceFromSource(ds: DicomDataset, frame: number, ref: SegReference): number | undefined {
  if (!ref.sopInstanceUids) return undefined;
  const fg = ds.sequence(TAG.PerFrameFunctionalGroupsSequence)[frame];
  const sources = (fg?.sequence(TAG.DerivationImageSequence) ?? []).flatMap((d) => d.sequence(TAG.SourceImageSequence));
  for (const src of sources) {
    const uid = src.string(TAG.ReferencedSOPInstanceUID);
    if (!uid) continue;
    const frameNo = src.integerString("00081160") ?? src.uint16("00081160"); // ReferencedFrameNumber (IS)
    for (let k = 0; k < ref.sopInstanceUids.length; k++) {
      if (ref.sopInstanceUids[k] !== uid) continue;
      if (frameNo !== undefined && ref.frameNumbers && ref.frameNumbers[k] !== frameNo) continue;
      return k;
    }
  }
  return undefined;
}

interface Placement {
  di: number;
  dj: number;
  k: number;
}

function placeByPosition(ds: DicomDataset, frame: number, ref: SegReference): Placement | undefined {
  const pos = imagePosition(ds, frame);
  if (!pos) return undefined;
  const idx = lpsToIndex(ref, pos as Vec3);
  const r = idx.map(Math.round) as Vec3;
  if (idx.some((v, a) => Math.abs(v - r[a]) > POS_TOL)) {
    throw mismatch(
      `frame ${frame + 1} at (${pos.join(", ")}) is not on a voxel centre of the reference grid (index ${idx.map((v) => v.toFixed(3)).join(", ")})`,
    );
  }
  return { di: r[0], dj: r[1], k: r[2] };
}

function checkPlaneGeometry(ds: DicomDataset, frame: number, ref: SegReference): void {
  const iop = imageOrientation(ds, frame);
  if (iop) {
    for (let a = 0; a < 6; a++) {
      if (Math.abs(iop[a] - ref.direction[a]) > 1e-3)
        throw mismatch(`frame orientation (${iop.join(", ")}) differs from the image's`);
    }
  }
  const ps = pixelSpacing(ds, frame);
  if (ps) {
    if (
      Math.abs(ps[1] - ref.spacing[0]) > 1e-3 * ref.spacing[0] ||
      Math.abs(ps[0] - ref.spacing[1]) > 1e-3 * ref.spacing[1]
    ) {
      throw mismatch(`pixel spacing ${ps.join("/")} differs from the image's ${ref.spacing[1]}/${ref.spacing[0]}`);
    }
  }
}

export async function readSeg(
  input: Uint8Array | DicomDataset,
  ref: SegReference,
  opts: ReadSegOptions = {},
): Promise<SegReadResult> {
  const ds = input instanceof Uint8Array ? parseDicom(input) : input;
  const sopClass = ds.string(TAG.SOPClassUID);
  if (ds.string(TAG.Modality) !== "SEG" && sopClass !== SEG_SOP_CLASS && sopClass !== LABELMAP_SOP_CLASS) {
    throw new NacError(
      "DICOM_UNSUPPORTED",
      `not a DICOM Segmentation (Modality ${ds.string(TAG.Modality) ?? "missing"})`,
    );
  }
  const typeRaw = ds.string(TAG.SegmentationType);
  if (typeRaw !== "BINARY" && typeRaw !== "FRACTIONAL" && typeRaw !== "LABELMAP") {
    throw new NacError("DICOM_UNSUPPORTED", `SegmentationType "${typeRaw ?? "missing"}" is not supported`);
  }
  const type: SegmentationType = typeRaw;
  const segs = segments(ds);
  if (!segs.length) throw new NacError("DICOM_MALFORMED", "SEG has no SegmentSequence items");
  const maxFrac = type === "FRACTIONAL" ? ds.uint16(TAG.MaximumFractionalValue) : undefined;
  if (type === "FRACTIONAL" && !maxFrac)
    throw new NacError("DICOM_MALFORMED", "FRACTIONAL SEG without MaximumFractionalValue (0062,000E)");
  const threshold = opts.fractionalThreshold ?? 0.5;
  const padding = ds.uint16(TAG.PixelPaddingValue);

  const segFor = ds.string(TAG.FrameOfReferenceUID);
  if (ref.frameOfReferenceUid && segFor && segFor !== ref.frameOfReferenceUid) {
    throw mismatch(`its FrameOfReferenceUID ${segFor} differs from the image's ${ref.frameOfReferenceUid}`);
  }
  const { frames, info } = await decodePixelData(ds);
  const perFrame = ds.sequence(TAG.PerFrameFunctionalGroupsSequence);
  const [nx, ny, nz] = ref.dims;
  const sliceSize = nx * ny;
  const bySegment = new Map<number, { mask: Uint8Array; fractions?: Float32Array }>();
  for (const s of segs) {
    if (type === "LABELMAP" && s.number === 0) continue; // background
    bySegment.set(s.number, {
      mask: new Uint8Array(sliceSize * nz),
      fractions: type === "FRACTIONAL" ? new Float32Array(sliceSize * nz) : undefined,
    });
  }

  frames.forEach((pixels, f) => {
    checkPlaneGeometry(ds, f, ref);
    const byUid = sliceFromSource(ds, f, ref);
    const byPos = placeByPosition(ds, f, ref);
    if (byUid === undefined && byPos === undefined) {
      throw mismatch(`frame ${f + 1} has neither a source image in the reference series nor a plane position`);
    }
    if (byUid !== undefined && byPos !== undefined && byUid !== byPos.k) {
      throw mismatch(`frame ${f + 1} references slice ${byUid + 1} but its position is on slice ${byPos.k + 1}`);
    }
    const k = byUid ?? byPos!.k;
    const di = byPos?.di ?? 0;
    const dj = byPos?.dj ?? 0;
    let segNo: number | undefined;
    if (type !== "LABELMAP") {
      segNo = perFrame[f]?.item(TAG.SegmentIdentificationSequence)?.uint16(TAG.ReferencedSegmentNumber);
      if (segNo === undefined && segs.length === 1) segNo = segs[0].number;
      if (segNo === undefined || !bySegment.has(segNo))
        throw new NacError("DICOM_MALFORMED", `SEG frame ${f + 1} has no valid ReferencedSegmentNumber`);
    }
    const inside = k >= 0 && k < nz && di >= 0 && dj >= 0 && di + info.columns <= nx && dj + info.rows <= ny;
    for (let r = 0; r < info.rows; r++) {
      for (let c = 0; c < info.columns; c++) {
        const v = pixels[r * info.columns + c];
        if (v === 0 || (type === "LABELMAP" && v === padding)) continue;
        if (!inside) {
          const i = c + di,
            j = r + dj;
          if (k < 0 || k >= nz || i < 0 || j < 0 || i >= nx || j >= ny) {
            throw mismatch(`frame ${f + 1} has segmented pixels outside the image grid (slice ${k + 1} of ${nz})`);
          }
        }
        const at = k * sliceSize + (dj + r) * nx + (di + c);
        if (type === "LABELMAP") {
          const target = bySegment.get(v);
          if (!target) throw new NacError("DICOM_MALFORMED", `LABELMAP SEG pixel value ${v} is not a defined segment`);
          target.mask[at] = 1;
        } else if (type === "FRACTIONAL") {
          const target = bySegment.get(segNo!)!;
          const frac = v / maxFrac!;
          target.fractions![at] = frac;
          if (frac >= threshold) target.mask[at] = 1;
        } else {
          bySegment.get(segNo!)!.mask[at] = 1;
        }
      }
    }
  });

  const geometry = { dims: ref.dims, spacing: ref.spacing, origin: ref.origin, direction: ref.direction };
  const out: SegmentMask[] = [];
  for (const s of segs) {
    const t = bySegment.get(s.number);
    if (!t) continue;
    let count = 0;
    for (let i = 0; i < t.mask.length; i++) count += t.mask[i];
    out.push({
      segment: s,
      mask: makeVolume(t.mask, geometry),
      voxelCount: count,
      ...(t.fractions ? { fractions: makeVolume(t.fractions, geometry) } : {}),
    });
  }
  return {
    segmentationType: type,
    fractionalType: ds.string(TAG.SegmentationFractionalType),
    frameOfReferenceUid: ds.string(TAG.FrameOfReferenceUID),
    referencedSeriesUids: ds
      .sequence(TAG.ReferencedSeriesSequence)
      .map((s) => s.string(TAG.SeriesInstanceUID))
      .filter((u): u is string => !!u),
    segments: out,
  };
}
