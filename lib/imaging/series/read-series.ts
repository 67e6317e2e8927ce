/**
 * readDicomSeries: DICOM image files -> one Volume (+ metadata) per series.
 *
 * - Files are grouped by SeriesInstanceUID; files without pixel data and non-image objects (SEG, RTSTRUCT, RTPLAN,
 *   RTDOSE, PR, SR, KO) are skipped. Enhanced multi-frame files contribute one plane per frame.
 * - Planes are ordered by their position along the slice normal n = rowDir x colDir; k then increases along n.
 * - Consistency (else NacError SERIES_INCONSISTENT naming the series): same rows/columns, pixel spacing (1e-4
 *   relative), orientation (1e-4 per component), no two planes at the same position (multi-phase/multi-echo series
 *   must be split first), no in-plane shift between consecutive planes (gantry tilt/shear), and equal gaps: every gap
 *   within max(0.01 mm, 1%) of the median gap (a missing slice is a gap error). Colour images are DICOM_UNSUPPORTED.
 * - Volume (lib/imaging/volume.ts conventions, LPS): i along rows' direction (columns), j along columns' direction
 *   (rows), k along n; origin = ImagePositionPatient of the first plane; spacing = [column spacing, row spacing,
 *   (last - first) / (planes - 1) along n] (single plane: SpacingBetweenSlices, else SliceThickness, else 1).
 * - A series that repeats its slice positions is split into phases/echoes by the first of TemporalPositionIdentifier,
 *   TemporalPositionIndex (enhanced), EchoNumbers, TriggerTime, AcquisitionNumber that separates the repeats
 *   (meta.phase says which); if none does, the duplicates are SERIES_INCONSISTENT.
 * - Values = stored * RescaleSlope + RescaleIntercept per plane. Integer results that fit are kept as Int16Array /
 *   Int32Array, anything else is Float32Array.
 */
import { NacError } from "../../errors/nac-error";
import { decodePixelData, hasPixelData, parseDicom, TAG, type DicomDataset, type StoredArray } from "../dicom";
import { makeVolume, type Direction, type Vec3, type Volume } from "../volume";
import { imagePlanes, PHASE_KEYS, type ImagePlane, type PhaseKey } from "./image-planes";

export interface SeriesAcquisition {
  scanningSequence?: string;
  sequenceVariant?: string;
  scanOptions?: string;
  sequenceName?: string;
  mrAcquisitionType?: string;
  echoTime?: number;
  repetitionTime?: number;
  inversionTime?: number;
  flipAngle?: number;
  magneticFieldStrength?: number;
  contrastBolusAgent?: string;
  sliceThickness?: number;
  spacingBetweenSlices?: number;
  kvp?: number;
  manufacturer?: string;
}

export interface SeriesMetadata {
  seriesInstanceUid: string;
  studyInstanceUid?: string;
  frameOfReferenceUid?: string;
  patientId?: string;
  /** Patient / study identification, copied into derived objects (SEG) that must share them. */
  patientName?: string;
  patientBirthDate?: string;
  patientSex?: string;
  studyTime?: string;
  studyId?: string;
  accessionNumber?: string;
  referringPhysicianName?: string;
  modality?: string;
  sopClassUid?: string;
  seriesDescription?: string;
  protocolName?: string;
  seriesNumber?: number;
  studyDate?: string;
  /** SOP instance UID of the image at each k (volume order); frameNumbers[k] is its 1-based frame. */
  sopInstanceUids: string[];
  frameNumbers: number[];
  acquisition: SeriesAcquisition;
  /**
   * Set when this volume is one phase/echo of a series that repeats its slices (e.g. a multi-phase DCE series):
   * which attribute separated the phases and this volume's value.
   */
  phase?: { key: PhaseKey; value: string };
  /** Rescale per slice (volume order). */
  rescaleSlopes: number[];
  rescaleIntercepts: number[];
}

export interface DicomSeries {
  volume: Volume;
  meta: SeriesMetadata;
}

const NON_IMAGE_MODALITIES = new Set(["SEG", "RTSTRUCT", "RTPLAN", "RTDOSE", "RTRECORD", "PR", "SR", "KO", "DOC"]);

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];

function inconsistent(label: string, msg: string): NacError {
  return new NacError("SERIES_INCONSISTENT", `series ${label}: ${msg}`);
}

function seriesLabel(ds: DicomDataset, uid: string): string {
  const d = ds.string(TAG.SeriesDescription);
  return d ? `"${d}" (${uid})` : uid;
}

function acquisition(ds: DicomDataset): SeriesAcquisition {
  const num = (tag: string) => {
    try {
      return ds.decimal(tag);
    } catch {
      return undefined; // an unreadable acquisition tag must not stop loading the image
    }
  };
  return {
    scanningSequence: ds.string(TAG.ScanningSequence),
    sequenceVariant: ds.string(TAG.SequenceVariant),
    scanOptions: ds.string(TAG.ScanOptions),
    sequenceName: ds.string(TAG.SequenceName),
    mrAcquisitionType: ds.string(TAG.MRAcquisitionType),
    echoTime: num(TAG.EchoTime),
    repetitionTime: num(TAG.RepetitionTime),
    inversionTime: num(TAG.InversionTime),
    flipAngle: num(TAG.FlipAngle),
    magneticFieldStrength: num(TAG.MagneticFieldStrength),
    contrastBolusAgent: ds.string(TAG.ContrastBolusAgent),
    sliceThickness: num(TAG.SliceThickness),
    spacingBetweenSlices: num(TAG.SpacingBetweenSlices),
    kvp: num(TAG.KVP),
    manufacturer: ds.string(TAG.Manufacturer),
  };
}

interface OrderedGeometry {
  planes: ImagePlane[];
  dims: Vec3;
  spacing: Vec3;
  origin: Vec3;
  direction: Direction;
}

/** Validate a series' planes and put them in volume order. Exported for tests. */
export function orderPlanes(planes: ImagePlane[], label: string, fallbackSliceSpacing?: number): OrderedGeometry {
  const p0 = planes[0];
  for (const p of planes) {
    if (p.rows !== p0.rows || p.columns !== p0.columns) {
      throw inconsistent(label, `image sizes differ (${p0.columns}x${p0.rows} vs ${p.columns}x${p.rows})`);
    }
    for (let a = 0; a < 2; a++) {
      if (Math.abs(p.spacingColRow[a] - p0.spacingColRow[a]) > 1e-4 * p0.spacingColRow[a]) {
        throw inconsistent(
          label,
          `pixel spacing differs between images (${p0.spacingColRow.join("/")} vs ${p.spacingColRow.join("/")})`,
        );
      }
    }
    for (let a = 0; a < 3; a++) {
      if (Math.abs(p.rowDir[a] - p0.rowDir[a]) > 1e-4 || Math.abs(p.colDir[a] - p0.colDir[a]) > 1e-4) {
        throw inconsistent(label, "images have different orientations (mixed planes in one series)");
      }
    }
  }
  const normal = cross(p0.rowDir, p0.colDir);
  const nn = Math.hypot(...normal);
  if (Math.abs(dot(p0.rowDir, p0.colDir)) > 1e-3 || nn < 0.99)
    throw inconsistent(label, "ImageOrientationPatient axes are not orthogonal");
  const n: Vec3 = [normal[0] / nn, normal[1] / nn, normal[2] / nn];
  const sorted = planes.map((p) => ({ p, d: dot(p.position, n) })).sort((a, b) => a.d - b.d);
  const gaps: number[] = [];
  for (let k = 1; k < sorted.length; k++) {
    const g = sorted[k].d - sorted[k - 1].d;
    if (g < 1e-3) {
      throw inconsistent(
        label,
        `${sorted[k - 1].p.sopInstanceUid} and ${sorted[k].p.sopInstanceUid} are at the same slice position (duplicate, or a multi-phase/multi-echo series that must be split)`,
      );
    }
    gaps.push(g);
    // Consecutive planes must lie on the normal through the first (no gantry tilt / shear).
    const delta = sub(sorted[k].p.position, sorted[k - 1].p.position);
    const inPlane = Math.hypot(dot(delta, p0.rowDir), dot(delta, p0.colDir));
    if (inPlane > Math.max(0.01, 0.01 * g)) {
      throw inconsistent(
        label,
        `slices are shifted in-plane by ${inPlane.toFixed(3)} mm (gantry tilt or sheared stack); not supported`,
      );
    }
  }
  let dz = fallbackSliceSpacing && fallbackSliceSpacing > 0 ? fallbackSliceSpacing : 1;
  if (gaps.length) {
    const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)];
    const tol = Math.max(0.01, 0.01 * median);
    gaps.forEach((g, k) => {
      if (Math.abs(g - median) > tol) {
        throw inconsistent(
          label,
          `uneven slice spacing: gap of ${g.toFixed(3)} mm between slices ${k + 1} and ${k + 2}, expected ${median.toFixed(3)} mm (missing or extra slice?)`,
        );
      }
    });
    dz = (sorted[sorted.length - 1].d - sorted[0].d) / gaps.length;
  }
  const first = sorted[0].p;
  return {
    planes: sorted.map((s) => s.p),
    dims: [p0.columns, p0.rows, planes.length],
    spacing: [p0.spacingColRow[0], p0.spacingColRow[1], dz],
    origin: [...first.position] as Vec3,
    direction: [...p0.rowDir, ...p0.colDir, ...n] as Direction,
  };
}

function outputArray(
  values: { min: number; max: number; integral: boolean },
  n: number,
): Int16Array | Int32Array | Float32Array {
  if (values.integral && values.min >= -32768 && values.max <= 32767) return new Int16Array(n);
  if (values.integral && values.min >= -2147483648 && values.max <= 2147483647) return new Int32Array(n);
  return new Float32Array(n);
}

async function buildSeries(
  uid: string,
  items: { ds: DicomDataset; index: number }[],
  planes: ImagePlane[],
  decodedCache: Map<number, StoredArray[]>,
  phase?: { key: PhaseKey; value: string },
): Promise<DicomSeries> {
  const head = items.find((it) => it.index === planes[0].fileIndex)?.ds ?? items[0].ds;
  const label = seriesLabel(head, uid) + (phase ? ` ${phase.key} ${phase.value}` : "");
  const acq = acquisition(head);
  const geo = orderPlanes(planes, label, acq.spacingBetweenSlices ?? acq.sliceThickness);

  const used = new Set(geo.planes.map((p) => p.fileIndex));
  for (const { ds, index } of items) {
    if (!used.has(index) || decodedCache.has(index)) continue;
    const px = await decodePixelData(ds);
    if (px.info.samplesPerPixel !== 1)
      throw new NacError("DICOM_UNSUPPORTED", `series ${label}: colour images cannot be used as a volume`);
    if (px.info.bitsAllocated === 1)
      throw new NacError("DICOM_UNSUPPORTED", `series ${label}: 1-bit images cannot be used as a volume`);
    decodedCache.set(index, px.frames);
  }
  const decoded = decodedCache;
  // First pass: range of rescaled values to pick the output type.
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  for (const p of geo.planes) {
    const frame = decoded.get(p.fileIndex)![p.frame];
    if (
      !Number.isInteger(p.slope) ||
      !Number.isInteger(p.intercept) ||
      frame instanceof Float32Array ||
      frame instanceof Float64Array
    )
      integral = false;
    let fmin = Infinity;
    let fmax = -Infinity;
    for (let i = 0; i < frame.length; i++) {
      const v = frame[i];
      if (v < fmin) fmin = v;
      if (v > fmax) fmax = v;
    }
    const a = fmin * p.slope + p.intercept;
    const b = fmax * p.slope + p.intercept;
    min = Math.min(min, a, b);
    max = Math.max(max, a, b);
  }
  const sliceSize = geo.dims[0] * geo.dims[1];
  const data = outputArray({ min, max, integral }, sliceSize * geo.dims[2]);
  geo.planes.forEach((p, k) => {
    const frame = decoded.get(p.fileIndex)![p.frame];
    const off = k * sliceSize;
    if (p.slope === 1 && p.intercept === 0) data.set(frame, off);
    else for (let i = 0; i < sliceSize; i++) data[off + i] = frame[i] * p.slope + p.intercept;
  });
  const volume = makeVolume(data, {
    dims: geo.dims,
    spacing: geo.spacing,
    origin: geo.origin,
    direction: geo.direction,
  });
  const meta: SeriesMetadata = {
    seriesInstanceUid: uid,
    studyInstanceUid: head.string(TAG.StudyInstanceUID),
    frameOfReferenceUid: head.string(TAG.FrameOfReferenceUID),
    patientId: head.string(TAG.PatientID),
    patientName: head.string(TAG.PatientName),
    patientBirthDate: head.string(TAG.PatientBirthDate),
    patientSex: head.string(TAG.PatientSex),
    studyTime: head.string(TAG.StudyTime),
    studyId: head.string(TAG.StudyID),
    accessionNumber: head.string(TAG.AccessionNumber),
    referringPhysicianName: head.string(TAG.ReferringPhysicianName),
    modality: head.string(TAG.Modality),
    sopClassUid: head.string(TAG.SOPClassUID),
    seriesDescription: head.string(TAG.SeriesDescription),
    protocolName: head.string(TAG.ProtocolName),
    seriesNumber: safe(() => head.integerString(TAG.SeriesNumber)),
    studyDate: head.string(TAG.StudyDate),
    sopInstanceUids: geo.planes.map((p) => p.sopInstanceUid),
    frameNumbers: geo.planes.map((p) => p.frame + 1),
    acquisition: acq,
    ...(phase ? { phase } : {}),
    rescaleSlopes: geo.planes.map((p) => p.slope),
    rescaleIntercepts: geo.planes.map((p) => p.intercept),
  };
  return { volume, meta };
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/**
 * A series whose slices repeat at the same positions (multi-phase DCE, multi-echo) is split into one volume per value
 * of the first attribute of PHASE_KEYS that varies and leaves no repeated position within any part. Returns
 * undefined when no position repeats (nothing to split) or no attribute separates the repeats (orderPlanes then
 * reports the duplicates).
 */
export function splitPhases(
  planes: ImagePlane[],
): { key: PhaseKey; value: string; planes: ImagePlane[] }[] | undefined {
  const posKey = (p: ImagePlane) => p.position.map((v) => v.toFixed(2)).join("/");
  const hasRepeats = (ps: ImagePlane[]) => new Set(ps.map(posKey)).size !== ps.length;
  if (!hasRepeats(planes)) return undefined;
  for (const key of PHASE_KEYS) {
    const groups = new Map<string, ImagePlane[]>();
    for (const p of planes) {
      const v = p.phase[key];
      if (v === undefined) break;
      groups.set(v, [...(groups.get(v) ?? []), p]);
    }
    if ([...groups.values()].reduce((a, g) => a + g.length, 0) !== planes.length || groups.size < 2) continue;
    if ([...groups.values()].some(hasRepeats)) continue;
    const numeric = [...groups.keys()].every((v) => Number.isFinite(Number(v)));
    return [...groups.entries()]
      .sort(([a], [b]) => (numeric ? Number(a) - Number(b) : a.localeCompare(b)))
      .map(([value, ps]) => ({ key, value, planes: ps }));
  }
  return undefined;
}

/** Is this data set an image that belongs in a volume? */
export function isVolumeImage(ds: DicomDataset): boolean {
  const modality = ds.string(TAG.Modality) ?? "";
  return hasPixelData(ds) && !NON_IMAGE_MODALITIES.has(modality);
}

/**
 * Parse, group and assemble. Accepts raw file bytes or already parsed data sets. Series come back sorted by
 * SeriesNumber then UID. Throws SERIES_INCONSISTENT / DICOM_* for the first series that cannot be built.
 */
export async function readDicomSeries(files: (Uint8Array | DicomDataset)[]): Promise<DicomSeries[]> {
  const groups = new Map<string, { ds: DicomDataset; index: number }[]>();
  files.forEach((f, index) => {
    const ds = f instanceof Uint8Array ? parseDicom(f) : f;
    if (!isVolumeImage(ds)) return;
    const uid = ds.string(TAG.SeriesInstanceUID);
    if (!uid)
      throw new NacError(
        "SERIES_INCONSISTENT",
        `image ${ds.string(TAG.SOPInstanceUID) ?? `#${index + 1}`} has no SeriesInstanceUID`,
      );
    const list = groups.get(uid) ?? [];
    list.push({ ds, index });
    groups.set(uid, list);
  });
  const out: DicomSeries[] = [];
  for (const [uid, items] of groups) {
    const planes = items.flatMap(({ ds, index }) => imagePlanes(ds, index));
    const cache = new Map<number, StoredArray[]>();
    const phases = splitPhases(planes);
    if (!phases) out.push(await buildSeries(uid, items, planes, cache));
    else
      for (const ph of phases)
        out.push(await buildSeries(uid, items, ph.planes, cache, { key: ph.key, value: ph.value }));
  }
  // Stable sort: phases of one series keep their order.
  return out.sort(
    (a, b) =>
      (a.meta.seriesNumber ?? 0) - (b.meta.seriesNumber ?? 0) ||
      a.meta.seriesInstanceUid.localeCompare(b.meta.seriesInstanceUid),
  );
}
