/**
 * describeDicom: the header summary plus decoded stored-value statistics that `nac dicom info` prints. Keys follow
 * the reference JSONs in shared/data/pydicom (snake_case, null when absent). Statistics are over stored values
 * (before rescale), all frames and samples.
 */
import type { DicomDataset } from "./dataset";
import { decodePixelData } from "./decode-pixel-data";
import { imageOrientation, imagePosition, pixelSpacing, rescale, sliceThickness } from "./functional-groups";
import { hasPixelData, numberOfFrames } from "./pixel-info";
import { TAG } from "./tags";

export interface DicomInfo {
  /** From the file meta; null for a raw data set without meta (see encoding_uid for how it was read). */
  transfer_syntax_uid: string | null;
  /** The transfer syntax the data set was actually read with (guessed when there is no file meta). */
  encoding_uid: string;
  transfer_syntax_name: string;
  has_file_meta: boolean;
  is_little_endian: boolean;
  is_implicit_vr: boolean;
  sop_class_uid: string | null;
  sop_instance_uid: string | null;
  series_instance_uid: string | null;
  modality: string | null;
  rows: number | null;
  columns: number | null;
  number_of_frames: number;
  bits_allocated: number | null;
  bits_stored: number | null;
  high_bit: number | null;
  pixel_representation: number | null;
  samples_per_pixel: number | null;
  photometric_interpretation: string | null;
  planar_configuration: number | null;
  rescale_slope: number | null;
  rescale_intercept: number | null;
  pixel_spacing: number[] | null;
  slice_thickness: number | null;
  image_position_patient: number[] | null;
  image_orientation_patient: number[] | null;
  stored_value_sum: number | null;
  stored_value_min: number | null;
  stored_value_max: number | null;
}

const nul = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

export async function describeDicom(ds: DicomDataset): Promise<DicomInfo> {
  const ts = ds.meta.transferSyntax;
  const r = rescale(ds);
  const info: DicomInfo = {
    transfer_syntax_uid: ds.meta.hasFileMeta ? ts.uid : null,
    encoding_uid: ts.uid,
    transfer_syntax_name: ts.name,
    has_file_meta: ds.meta.hasFileMeta,
    is_little_endian: ts.littleEndian,
    is_implicit_vr: ts.implicitVr,
    sop_class_uid: nul(ds.string(TAG.SOPClassUID)),
    sop_instance_uid: nul(ds.string(TAG.SOPInstanceUID)),
    series_instance_uid: nul(ds.string(TAG.SeriesInstanceUID)),
    modality: nul(ds.string(TAG.Modality)),
    rows: nul(ds.uint16(TAG.Rows)),
    columns: nul(ds.uint16(TAG.Columns)),
    number_of_frames: numberOfFrames(ds),
    bits_allocated: nul(ds.uint16(TAG.BitsAllocated)),
    bits_stored: nul(ds.uint16(TAG.BitsStored)),
    high_bit: nul(ds.uint16(TAG.HighBit)),
    pixel_representation: nul(ds.uint16(TAG.PixelRepresentation)),
    samples_per_pixel: nul(ds.uint16(TAG.SamplesPerPixel)),
    photometric_interpretation: nul(ds.string(TAG.PhotometricInterpretation)),
    planar_configuration: nul(ds.uint16(TAG.PlanarConfiguration)),
    rescale_slope: nul(r.slope),
    rescale_intercept: nul(r.intercept),
    pixel_spacing: nul(pixelSpacing(ds)),
    slice_thickness: nul(sliceThickness(ds)),
    image_position_patient: nul(imagePosition(ds)),
    image_orientation_patient: nul(imageOrientation(ds)),
    stored_value_sum: null,
    stored_value_min: null,
    stored_value_max: null,
  };
  if (hasPixelData(ds)) {
    const { frames } = await decodePixelData(ds);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const f of frames) {
      for (let i = 0; i < f.length; i++) {
        const v = f[i];
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    info.stored_value_sum = sum;
    info.stored_value_min = min;
    info.stored_value_max = max;
  }
  return info;
}
