import { randomUUID } from "node:crypto";
import { gzipSync } from "fflate";
import type { PrismaClient } from "../../generated/prisma/client";
import { recordAudit } from "../audit/audit-log";
import { isNacError, NacError } from "../errors";
import { parseDicom, TAG, type DicomDataset } from "../imaging/dicom";
import { assertSameGeometry } from "../imaging/geometry";
import { readNifti } from "../imaging/nifti";
import { readNrrd } from "../imaging/nrrd";
import { peritumoralShell, type PeritumoralMeasure } from "../imaging/peritumoral";
import { roiStats } from "../imaging/roi-stats";
import { rasterizeRoi, readRtStruct, type RtRoi } from "../imaging/rtstruct";
import { readSeg, writeSeg } from "../imaging/seg";
import type { SeriesMetadata } from "../imaging/series";
import { makeVolume, voxelCount, type Direction, type Geometry, type Mask, type Vec3 } from "../imaging/volume";
import { gunzipBounded, isGzip } from "../imaging/voxel-bytes";
import type { FileStore } from "../storage/file-store";
import { openWriteLease } from "../storage/write-lease";
import { loadStoredSeries } from "./series-volume";

/**
 * Tumour ROIs: every save is a new version (earlier versions are kept), stored as a DICOM SEG that references its
 * source series (so it can be exported and read by any DICOM tool) + a `rois` row with its author and statistics.
 * Masks always live on their series' voxel grid (volume order, see lib/imaging/volume.ts).
 */
export interface RoiDeps {
  prisma: PrismaClient;
  store: FileStore;
}

export interface SeriesGrid extends Geometry {
  sopInstanceUids: string[];
  frameNumbers: number[];
}

export async function seriesGridOrThrow(
  prisma: PrismaClient,
  seriesId: string,
): Promise<SeriesGrid & { patientId: string }> {
  const s = await prisma.series.findUnique({ where: { id: seriesId }, include: { study: true } });
  if (!s) throw new NacError("NOT_FOUND", `series ${seriesId} not found`);
  const g = s.geometry as {
    dims: Vec3;
    spacing: Vec3;
    origin: Vec3;
    direction: Direction;
    volumeOrder?: string[];
    frameNumbers?: number[];
  };
  return {
    dims: g.dims,
    spacing: g.spacing,
    origin: g.origin,
    direction: g.direction,
    sopInstanceUids: g.volumeOrder ?? [],
    frameNumbers: g.frameNumbers ?? [],
    patientId: s.study.patientId,
  };
}

export interface SaveRoiInput {
  seriesId: string;
  /** 0/1 per voxel on the series grid (any non-zero counts as inside). */
  mask: Uint8Array;
  source: "drawn" | "uploaded" | "derived" | "assisted";
  label?: string;
  /** id null: a command-line import without an account (the audit row keeps the name it ran under). */
  user: { id: string | null; username: string };
  details?: Record<string, unknown>;
}

export async function saveRoi(deps: RoiDeps, input: SaveRoiInput) {
  const grid = await seriesGridOrThrow(deps.prisma, input.seriesId);
  const n = voxelCount(grid);
  if (input.mask.length !== n) {
    throw new NacError(
      "GEOMETRY_MISMATCH",
      `mask has ${input.mask.length} voxels; the series grid ${grid.dims.join("x")} has ${n}`,
    );
  }
  const binary = new Uint8Array(n);
  for (let i = 0; i < n; i++) binary[i] = input.mask[i] ? 1 : 0;
  const mask = makeVolume(binary, grid);
  const stats = roiStats(mask); // throws MASK_EMPTY for an empty mask
  const version =
    ((await deps.prisma.roi.aggregate({ where: { seriesId: input.seriesId }, _max: { version: true } }))._max.version ??
      0) + 1;
  const meta = await seriesMetadataOrThrow(deps, input.seriesId);
  const bytes = writeSeg(
    { geometry: grid, meta },
    [
      {
        mask,
        label: input.label ?? "Tumour",
        algorithmType:
          input.source === "derived" ? "AUTOMATIC" : input.source === "assisted" ? "SEMIAUTOMATIC" : "MANUAL",
        algorithmName: "NACpredict",
      },
    ],
    {
      seriesDescription: `NACpredict tumour ROI v${version}`,
      contentLabel: "TUMOUR",
      contentCreatorName: input.user.username,
    },
  );
  // Key from the new row's id: two saves racing for the same version never share (and overwrite) a file.
  const id = randomUUID();
  const key = `rois/${input.seriesId}/${id}.dcm`;
  const lease = await openWriteLease(deps.store, [key]);
  try {
    const stored = await deps.store.putNew(key, bytes);
    return await saveRoiRow(deps, input, { id, version, stored, stats, patientId: grid.patientId }).catch(async (e) => {
      await deps.store.remove(key);
      const code = (e as { code?: unknown })?.code;
      if (code === "P2002" || /unique constraint/i.test((e as Error)?.message ?? "")) {
        throw new NacError(
          "CONFLICT",
          `another ROI version ${version} of this series was saved at the same time; save again`,
        );
      }
      throw e;
    });
  } finally {
    await lease.release();
  }
}

async function saveRoiRow(
  deps: RoiDeps,
  input: SaveRoiInput,
  o: {
    id: string;
    version: number;
    stored: { key: string; sha256: string };
    stats: ReturnType<typeof roiStats>;
    patientId: string;
  },
) {
  const { id, version, stored, stats } = o;
  return deps.prisma.$transaction(async (tx) => {
    const roi = await tx.roi.create({
      data: {
        id,
        seriesId: input.seriesId,
        version,
        source: input.source,
        label: input.label ?? "tumour",
        maskStorageKey: stored.key,
        maskFormat: "dicom-seg",
        maskSha256: stored.sha256,
        voxelCount: stats.voxelCount,
        volumeMm3: stats.volumeMm3,
        authorId: input.user.id,
      },
    });
    await recordAudit(tx, {
      action: "roi.save",
      userId: input.user.id,
      username: input.user.username,
      patientId: o.patientId,
      targetType: "roi",
      targetId: roi.id,
      details: {
        seriesId: input.seriesId,
        version,
        source: input.source,
        voxelCount: stats.voxelCount,
        ...(input.details ?? {}),
      },
    });
    return { roi, stats };
  });
}

export async function loadRoiMask(
  deps: RoiDeps,
  roiId: string,
): Promise<{ roi: { id: string; seriesId: string; version: number }; mask: Mask }> {
  const roi = await deps.prisma.roi.findUnique({ where: { id: roiId } });
  if (!roi) throw new NacError("NOT_FOUND", `ROI ${roiId} not found`);
  const grid = await seriesGridOrThrow(deps.prisma, roi.seriesId);
  const seg = await readSeg(parseDicom(await deps.store.get(roi.maskStorageKey, roi.maskSha256)), grid);
  const tumour = seg.segments[0];
  if (!tumour) throw new NacError("MASK_EMPTY", `stored ROI ${roiId} has no segment`);
  return { roi, mask: makeVolume(tumour.mask.data, grid) };
}

/** The series' DICOM metadata (patient, study, SOP instances in volume order), re-read from its stored files. */
export async function seriesMetadataOrThrow(deps: RoiDeps, seriesId: string): Promise<SeriesMetadata> {
  return (await loadStoredSeries(deps, seriesId)).meta;
}

export async function latestRoi(prisma: PrismaClient, seriesId: string) {
  return prisma.roi.findFirst({ where: { seriesId }, orderBy: { version: "desc" } });
}

export type UploadFormat = "seg" | "rtstruct" | "nifti" | "nrrd";

export function detectMaskFormat(name: string, bytes: Uint8Array): UploadFormat {
  const head = String.fromCharCode(...bytes.subarray(0, 4));
  if (bytes.length > 132 && String.fromCharCode(...bytes.subarray(128, 132)) === "DICM") return "seg";
  if (head === "NRRD") return "nrrd";
  if (
    /\.nii(\.gz)?$/i.test(name) ||
    (bytes[0] === 0x1f && bytes[1] === 0x8b) ||
    (bytes.length >= 348 && new DataView(bytes.buffer, bytes.byteOffset).getInt32(0, true) === 348)
  ) {
    return "nifti";
  }
  throw new NacError("UNSUPPORTED_MEDIA", `${name}: not a DICOM SEG, RTSTRUCT, NIfTI or NRRD file`);
}

export interface MaskUploadOptions {
  /** SEG: the segment to take (default the first). */
  segmentNumber?: number;
  /** RTSTRUCT: the ROI to take, by name or number; required when the file holds several contoured ROIs. */
  roi?: string;
  /** The series' frame of reference: an RTSTRUCT drawn in another one is refused. */
  frameOfReferenceUid?: string | null;
}

/** The contoured ROIs of an RTSTRUCT (those with a closed planar contour), as the client's name chooser lists them. */
export function rtStructRoiChoices(ds: DicomDataset): RtRoi[] {
  return readRtStruct(ds).rois.filter((r) => r.contours.some((c) => c.geometricType === "CLOSED_PLANAR"));
}

/**
 * A mask file uploaded onto a series: DICOM SEG (matched to the series' images by SOP instance, first segment unless
 * `segmentNumber`), DICOM RTSTRUCT (one ROI, chosen by name or number when there are several, rasterised exactly as
 * `nac mask convert` does), or NIfTI/NRRD that must already be on the series grid (a clear GEOMETRY_MISMATCH otherwise).
 */
export async function maskFromUpload(
  grid: SeriesGrid,
  name: string,
  bytes: Uint8Array,
  opts: MaskUploadOptions = {},
): Promise<Uint8Array> {
  const format = detectMaskFormat(name, bytes);
  if (format === "seg") {
    const ds = parseDicom(bytes);
    if (ds.string(TAG.Modality) === "RTSTRUCT") return rtStructMask(grid, name, ds, opts);
    const seg = await readSeg(ds, grid);
    const s = opts.segmentNumber ? seg.segments.find((x) => x.segment.number === opts.segmentNumber) : seg.segments[0];
    if (!s)
      throw new NacError(
        "MASK_EMPTY",
        `${name}: no segment${opts.segmentNumber ? ` number ${opts.segmentNumber}` : ""} in this SEG`,
      );
    return s.mask.data;
  }
  // A mask on this grid is at most 8 bytes per voxel plus its header: anything that inflates past that is refused early.
  const maxInflatedBytes = voxelCount(grid) * 8 + 1024 * 1024;
  const vol = format === "nifti" ? readNifti(bytes, { maxInflatedBytes }) : readNrrd(bytes, { maxInflatedBytes });
  assertSameGeometry(vol, grid, `uploaded mask ${name} and the series`);
  return Uint8Array.from(vol.data, (v) => (v ? 1 : 0));
}

function rtStructMask(grid: SeriesGrid, name: string, ds: DicomDataset, opts: MaskUploadOptions): Uint8Array {
  const rois = rtStructRoiChoices(ds);
  if (!rois.length) throw new NacError("MASK_EMPTY", `${name}: the RTSTRUCT has no closed contour`);
  const list = rois.map((r) => ({ number: r.number, name: r.name }));
  let roi: RtRoi | undefined;
  if (opts.roi !== undefined) {
    roi = rois.find((r) => r.name === opts.roi) ?? rois.find((r) => String(r.number) === opts.roi);
    if (!roi)
      throw new NacError(
        "NOT_FOUND",
        `${name}: no ROI "${opts.roi}" (has ${list.map((r) => `${r.number} "${r.name}"`).join(", ")})`,
        { rois: list },
      );
  } else if (rois.length > 1) {
    throw new NacError(
      "RTSTRUCT_ROI_CHOICE_REQUIRED",
      `${name} holds ${rois.length} ROIs (${list.map((r) => `"${r.name}"`).join(", ")}): choose one`,
      { rois: list },
    );
  } else {
    roi = rois[0];
  }
  return rasterizeRoi(roi, { ...grid, frameOfReferenceUid: opts.frameOfReferenceUid ?? undefined }).data;
}

export function gzipMask(mask: Uint8Array): Uint8Array {
  return gzipSync(mask, { level: 6 });
}

/** Inflates a drawn mask, stopping as soon as it passes the grid's voxel count (a gzip bomb costs nothing). */
export function gunzipMask(bytes: Uint8Array, expected: number): Uint8Array {
  if (!isGzip(bytes)) throw new NacError("BAD_REQUEST", "mask body must be gzip-compressed voxel bytes");
  let out: Uint8Array;
  try {
    out = gunzipBounded(bytes, "mask body", expected);
  } catch (e) {
    if (isNacError(e) && e.code === "PAYLOAD_TOO_LARGE") {
      throw new NacError(
        "PAYLOAD_TOO_LARGE",
        `mask body inflates to more than the series grid's ${expected} voxels (limit ${expected} bytes)`,
        { limit: expected },
      );
    }
    throw new NacError("BAD_REQUEST", "mask body must be gzip-compressed voxel bytes");
  }
  if (out.length !== expected)
    throw new NacError("GEOMETRY_MISMATCH", `mask has ${out.length} voxels; the series grid has ${expected}`);
  return out;
}

/**
 * The peritumoral shell of an ROI for the viewer overlay: same code as the feature pipeline; the caller passes how the
 * active model bundle measures it (activeShellMeasure), so that the overlay is the region the model sees.
 */
export async function roiShell(
  deps: RoiDeps,
  roiId: string,
  marginMm: number,
  measureFrom: PeritumoralMeasure,
): Promise<Mask> {
  const { mask } = await loadRoiMask(deps, roiId);
  return peritumoralShell(mask, marginMm, { measureFrom });
}
