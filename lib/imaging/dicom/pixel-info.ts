/**
 * The Image Pixel module of a data set, validated: what a decoder needs to turn Pixel Data into stored values.
 * Inconsistent or missing required attributes are DICOM_MALFORMED; valid-but-unhandled layouts are DICOM_UNSUPPORTED.
 */
import { NacError } from "../../errors/nac-error";
import type { DicomDataset } from "./dataset";
import { TAG } from "./tags";

const MAX_DECODED_BYTES = 2 ** 31;

export interface PixelInfo {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  photometricInterpretation: string | undefined;
  /** 0 = interleaved (colour-by-pixel), 1 = planar (colour-by-plane); undefined for one sample. */
  planarConfiguration: number | undefined;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  /** 0 unsigned, 1 two's complement; undefined for float pixel data. */
  pixelRepresentation: number | undefined;
  numberOfFrames: number;
  /** Which pixel data element holds the values. */
  pixelDataTag: string;
  /** "int" for (7FE0,0010), "float32"/"float64" for Float/Double Float Pixel Data. */
  kind: "int" | "float32" | "float64";
}

function required(ds: DicomDataset, tag: string, name: string): number {
  const v = ds.uint16(tag);
  if (v === undefined) throw new NacError("DICOM_MALFORMED", `${name} is missing; cannot decode pixel data`);
  return v;
}

export function hasPixelData(ds: DicomDataset): boolean {
  return (
    ds.element(TAG.PixelData) !== undefined ||
    ds.element(TAG.FloatPixelData) !== undefined ||
    ds.element(TAG.DoubleFloatPixelData) !== undefined
  );
}

/** NumberOfFrames (IS), default 1; an invalid value is DICOM_MALFORMED. */
export function numberOfFrames(ds: DicomDataset): number {
  const n = ds.integerString(TAG.NumberOfFrames);
  if (n === undefined) return 1;
  if (n < 1) throw new NacError("DICOM_MALFORMED", `NumberOfFrames (0028,0008) is ${n}`);
  return n;
}

export function readPixelInfo(ds: DicomDataset): PixelInfo {
  const pixelDataTag = ds.element(TAG.PixelData)
    ? TAG.PixelData
    : ds.element(TAG.FloatPixelData)
      ? TAG.FloatPixelData
      : ds.element(TAG.DoubleFloatPixelData)
        ? TAG.DoubleFloatPixelData
        : undefined;
  if (!pixelDataTag) throw new NacError("DICOM_MALFORMED", "the data set has no pixel data");
  const kind = pixelDataTag === TAG.PixelData ? "int" : pixelDataTag === TAG.FloatPixelData ? "float32" : "float64";
  const rows = required(ds, TAG.Rows, "Rows (0028,0010)");
  const columns = required(ds, TAG.Columns, "Columns (0028,0011)");
  const bitsAllocated = required(ds, TAG.BitsAllocated, "BitsAllocated (0028,0100)");
  const samplesPerPixel = ds.uint16(TAG.SamplesPerPixel) ?? 1;
  const info: PixelInfo = {
    rows,
    columns,
    samplesPerPixel,
    photometricInterpretation: ds.string(TAG.PhotometricInterpretation),
    planarConfiguration: samplesPerPixel > 1 ? (ds.uint16(TAG.PlanarConfiguration) ?? 0) : undefined,
    bitsAllocated,
    bitsStored: kind === "int" ? (ds.uint16(TAG.BitsStored) ?? bitsAllocated) : bitsAllocated,
    highBit: kind === "int" ? (ds.uint16(TAG.HighBit) ?? bitsAllocated - 1) : bitsAllocated - 1,
    pixelRepresentation: kind === "int" ? (ds.uint16(TAG.PixelRepresentation) ?? 0) : undefined,
    numberOfFrames: numberOfFrames(ds),
    pixelDataTag,
    kind,
  };
  if (rows === 0 || columns === 0) throw new NacError("DICOM_MALFORMED", `image size is ${rows}x${columns}`);
  // Decoded size guard: a corrupt header must not make us allocate gigabytes.
  const decodedBytes = rows * columns * samplesPerPixel * Math.max(1, bitsAllocated / 8) * info.numberOfFrames;
  if (decodedBytes > MAX_DECODED_BYTES) {
    throw new NacError(
      "DICOM_UNSUPPORTED",
      `pixel data would decode to ${(decodedBytes / 2 ** 30).toFixed(1)} GiB (${columns}x${rows}x${info.numberOfFrames}); the limit is 2 GiB`,
    );
  }
  if (kind === "int" && ![1, 8, 16, 32].includes(bitsAllocated)) {
    throw new NacError("DICOM_UNSUPPORTED", `BitsAllocated ${bitsAllocated} is not supported`);
  }
  if (kind === "float32" && bitsAllocated !== 32)
    throw new NacError("DICOM_MALFORMED", `Float Pixel Data with BitsAllocated ${bitsAllocated}`);
  if (kind === "float64" && bitsAllocated !== 64)
    throw new NacError("DICOM_MALFORMED", `Double Float Pixel Data with BitsAllocated ${bitsAllocated}`);
  if (info.bitsStored < 1 || info.bitsStored > bitsAllocated) {
    throw new NacError(
      "DICOM_MALFORMED",
      `BitsStored ${info.bitsStored} is not within 1..BitsAllocated (${bitsAllocated})`,
    );
  }
  if (![1, 3].includes(samplesPerPixel))
    throw new NacError("DICOM_UNSUPPORTED", `SamplesPerPixel ${samplesPerPixel} is not supported`);
  if (bitsAllocated === 1 && samplesPerPixel !== 1)
    throw new NacError("DICOM_MALFORMED", "1-bit pixel data must have one sample per pixel");
  if (info.pixelRepresentation !== undefined && info.pixelRepresentation > 1) {
    throw new NacError("DICOM_MALFORMED", `PixelRepresentation ${info.pixelRepresentation} is not 0 or 1`);
  }
  return info;
}
