/**
 * writeSeg: binary masks on a DICOM series' grid -> a DICOM Segmentation (BINARY, 1-bit, Explicit VR Little Endian)
 * that references the source series (patient/study copied, same Frame of Reference, one frame per segment and
 * non-empty slice, each frame pointing to its source image by SOP instance UID and carrying its plane position).
 * Serialised with dcmjs. Browser-safe (UIDs from crypto.getRandomValues).
 */
import { NacError } from "../../errors/nac-error";
import { sameGeometry } from "../geometry";
import type { SeriesMetadata } from "../series/read-series";
import type { Geometry, Mask } from "../volume";
import { derivedHeader, writePart10 } from "../dicom/write-derived";

export interface CodedConcept {
  CodeValue: string;
  CodingSchemeDesignator: string;
  CodeMeaning: string;
}

export interface SegToWrite {
  mask: Mask;
  label: string;
  /** Defaults to position in the list + 1. */
  number?: number;
  description?: string;
  algorithmType?: "MANUAL" | "SEMIAUTOMATIC" | "AUTOMATIC";
  algorithmName?: string;
  category?: CodedConcept;
  type?: CodedConcept;
}

export interface SegSource {
  geometry: Geometry;
  meta: SeriesMetadata;
}

export interface WriteSegOptions {
  seriesDescription?: string;
  seriesNumber?: number;
  contentLabel?: string;
  contentCreatorName?: string;
  seriesInstanceUid?: string;
  sopInstanceUid?: string;
  /** Content date/time; defaults to now. */
  date?: Date;
}

const SEG_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.66.4";
const TISSUE: CodedConcept = { CodeValue: "85756007", CodingSchemeDesignator: "SCT", CodeMeaning: "Tissue" };
const TUMOR: CodedConcept = { CodeValue: "108369006", CodingSchemeDesignator: "SCT", CodeMeaning: "Tumor" };

/** A fresh UID under the 2.25 (UUID-derived) root. */
export function newUid(): string {
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  let n = 0n;
  for (const x of b) n = (n << 8n) | BigInt(x);
  return `2.25.${n.toString()}`;
}

/** DS values: at most 16 characters. */
function ds(x: number): number {
  for (let p = 15; p > 0; p--) {
    const v = Number(x.toPrecision(p));
    if (String(v).length <= 16) return v;
  }
  return Math.round(x);
}

export function writeSeg(source: SegSource, segments: SegToWrite[], opts: WriteSegOptions = {}): Uint8Array {
  const { geometry: g, meta } = source;
  if (!segments.length) throw new NacError("BAD_REQUEST", "writeSeg needs at least one segment");
  if (meta.sopInstanceUids.length !== g.dims[2]) {
    throw new NacError(
      "BAD_REQUEST",
      `source series has ${meta.sopInstanceUids.length} SOP instances for ${g.dims[2]} slices`,
    );
  }
  if (!meta.frameOfReferenceUid)
    throw new NacError("BAD_REQUEST", "source series has no FrameOfReferenceUID; a SEG cannot reference it");
  const [nx, ny, nz] = g.dims;
  const sliceSize = nx * ny;
  const date = opts.date ?? new Date();
  const numbers = segments.map((s, i) => s.number ?? i + 1);
  if (new Set(numbers).size !== numbers.length) throw new NacError("BAD_REQUEST", "segment numbers must be unique");

  // Frames: for each segment, each slice that has at least one voxel.
  const frames: { seg: number; k: number; data: Uint8Array }[] = [];
  segments.forEach((s, i) => {
    if (!sameGeometry(s.mask, g))
      throw new NacError("GEOMETRY_MISMATCH", `segment "${s.label}" is not on the source series' grid`);
    for (let k = 0; k < nz; k++) {
      const slice = s.mask.data.subarray(k * sliceSize, (k + 1) * sliceSize);
      if (slice.some((v) => v !== 0)) frames.push({ seg: numbers[i], k, data: slice });
    }
  });
  if (!frames.length) throw new NacError("MASK_EMPTY", "all segments are empty; nothing to write");

  // 1-bit packing: frames back to back, bit 0 of each byte first, no per-frame padding.
  const totalBits = frames.length * sliceSize;
  const packed = new Uint8Array(Math.ceil(totalBits / 8) + (Math.ceil(totalBits / 8) % 2));
  frames.forEach((f, n) => {
    const base = n * sliceSize;
    for (let p = 0; p < sliceSize; p++) {
      if (f.data[p]) {
        const bit = base + p;
        packed[bit >> 3] |= 1 << (bit & 7);
      }
    }
  });

  const d = g.direction;
  const position = (k: number) => [0, 1, 2].map((a) => ds(g.origin[a] + k * g.spacing[2] * d[6 + a]));
  const sourceClass = meta.sopClassUid ?? "1.2.840.10008.5.1.4.1.1.4";
  const sopInstanceUid = opts.sopInstanceUid ?? newUid();
  const code = (c: CodedConcept) => [{ ...c }];

  const dataset: Record<string, unknown> = {
    ...derivedHeader(SEG_SOP_CLASS, sopInstanceUid, date, meta),
    ImageType: ["DERIVED", "PRIMARY"],
    Modality: "SEG",
    DeviceSerialNumber: "0",
    SeriesDescription: opts.seriesDescription ?? "NACpredict segmentation",
    ReferencedSeriesSequence: [
      {
        SeriesInstanceUID: meta.seriesInstanceUid,
        ReferencedInstanceSequence: [...new Set(meta.sopInstanceUids)].map((uid) => ({
          ReferencedSOPClassUID: sourceClass,
          ReferencedSOPInstanceUID: uid,
        })),
      },
    ],
    StudyInstanceUID: meta.studyInstanceUid ?? newUid(),
    SeriesInstanceUID: opts.seriesInstanceUid ?? newUid(),
    SeriesNumber: opts.seriesNumber ?? 9001,
    InstanceNumber: 1,
    FrameOfReferenceUID: meta.frameOfReferenceUid,
    PositionReferenceIndicator: "",
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: newUid() }],
    SamplesPerPixel: 1,
    PhotometricInterpretation: "MONOCHROME2",
    NumberOfFrames: frames.length,
    Rows: ny,
    Columns: nx,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    LossyImageCompression: "00",
    SegmentationType: "BINARY",
    ContentLabel: opts.contentLabel ?? "SEGMENTATION",
    ContentDescription: "",
    ContentCreatorName: opts.contentCreatorName ?? "",
    SegmentSequence: segments.map((s, i) => ({
      SegmentNumber: numbers[i],
      SegmentLabel: s.label,
      ...(s.description ? { SegmentDescription: s.description } : {}),
      SegmentAlgorithmType: s.algorithmType ?? "MANUAL",
      ...((s.algorithmType ?? "MANUAL") !== "MANUAL" ? { SegmentAlgorithmName: s.algorithmName ?? "NACpredict" } : {}),
      SegmentedPropertyCategoryCodeSequence: code(s.category ?? TISSUE),
      SegmentedPropertyTypeCodeSequence: code(s.type ?? TUMOR),
    })),
    SharedFunctionalGroupsSequence: [
      {
        PixelMeasuresSequence: [
          {
            PixelSpacing: [ds(g.spacing[1]), ds(g.spacing[0])],
            SliceThickness: ds(g.spacing[2]),
            SpacingBetweenSlices: ds(g.spacing[2]),
          },
        ],
        PlaneOrientationSequence: [{ ImageOrientationPatient: d.slice(0, 6).map(ds) }],
      },
    ],
    PerFrameFunctionalGroupsSequence: frames.map((f) => ({
      DerivationImageSequence: [
        {
          SourceImageSequence: [
            {
              ReferencedSOPClassUID: sourceClass,
              ReferencedSOPInstanceUID: meta.sopInstanceUids[f.k],
              ...(meta.frameNumbers[f.k] > 1 ||
              meta.sopInstanceUids.filter((u) => u === meta.sopInstanceUids[f.k]).length > 1
                ? { ReferencedFrameNumber: meta.frameNumbers[f.k] }
                : {}),
              PurposeOfReferenceCodeSequence: code({
                CodeValue: "121322",
                CodingSchemeDesignator: "DCM",
                CodeMeaning: "Source image for image processing operation",
              }),
            },
          ],
          DerivationCodeSequence: code({
            CodeValue: "113076",
            CodingSchemeDesignator: "DCM",
            CodeMeaning: "Segmentation",
          }),
        },
      ],
      FrameContentSequence: [{ DimensionIndexValues: [f.seg, f.k + 1] }],
      PlanePositionSequence: [{ ImagePositionPatient: position(f.k) }],
      SegmentIdentificationSequence: [{ ReferencedSegmentNumber: f.seg }],
    })),
    PixelData: [packed.buffer],
    _vrMap: { PixelData: "OB" },
  };
  // DimensionIndexSequence: segment number, then plane position.
  dataset.DimensionIndexSequence = [
    {
      DimensionOrganizationUID: (dataset.DimensionOrganizationSequence as { DimensionOrganizationUID: string }[])[0]
        .DimensionOrganizationUID,
      DimensionIndexPointer: 0x0062000b,
      FunctionalGroupPointer: 0x0062000a,
      DimensionDescriptionLabel: "ReferencedSegmentNumber",
    },
    {
      DimensionOrganizationUID: (dataset.DimensionOrganizationSequence as { DimensionOrganizationUID: string }[])[0]
        .DimensionOrganizationUID,
      DimensionIndexPointer: 0x00200032,
      FunctionalGroupPointer: 0x00209113,
      DimensionDescriptionLabel: "ImagePositionPatient",
    },
  ];

  return writePart10(dataset);
}
