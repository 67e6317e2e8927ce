/**
 * Attribute look-up that also understands enhanced multi-frame objects: an attribute held in a functional-group
 * macro is searched at the top level, then in the Shared Functional Groups, then in the given frame's Per-frame
 * Functional Groups (PS3.3 C.7.6.16).
 */
import type { DicomDataset } from "./dataset";
import { TAG } from "./tags";

/** Data sets where a macro item (e.g. PixelMeasuresSequence) may live for frame `frame`, most specific last. */
export function macroItems(ds: DicomDataset, macroTag: string, frame = 0): DicomDataset[] {
  const out: DicomDataset[] = [];
  const shared = ds.item(TAG.SharedFunctionalGroupsSequence)?.item(macroTag);
  if (shared) out.push(shared);
  const perFrame = ds.sequence(TAG.PerFrameFunctionalGroupsSequence)[frame]?.item(macroTag);
  if (perFrame) out.push(perFrame);
  return out;
}

/** Value from the top level, else from the per-frame macro, else from the shared macro. */
export function lookup<T>(
  ds: DicomDataset,
  macroTag: string,
  read: (d: DicomDataset) => T | undefined,
  frame = 0,
): T | undefined {
  const top = read(ds);
  if (top !== undefined) return top;
  const items = macroItems(ds, macroTag, frame);
  for (let i = items.length - 1; i >= 0; i--) {
    const v = read(items[i]);
    if (v !== undefined) return v;
  }
  return undefined;
}

export function pixelSpacing(ds: DicomDataset, frame = 0): number[] | undefined {
  return lookup(ds, TAG.PixelMeasuresSequence, (d) => d.decimals(TAG.PixelSpacing), frame);
}

export function sliceThickness(ds: DicomDataset, frame = 0): number | undefined {
  return lookup(ds, TAG.PixelMeasuresSequence, (d) => d.decimal(TAG.SliceThickness), frame);
}

export function rescale(ds: DicomDataset, frame = 0): { slope: number | undefined; intercept: number | undefined } {
  return {
    slope: lookup(ds, TAG.PixelValueTransformationSequence, (d) => d.decimal(TAG.RescaleSlope), frame),
    intercept: lookup(ds, TAG.PixelValueTransformationSequence, (d) => d.decimal(TAG.RescaleIntercept), frame),
  };
}

export function imagePosition(ds: DicomDataset, frame = 0): number[] | undefined {
  return lookup(ds, TAG.PlanePositionSequence, (d) => d.decimals(TAG.ImagePositionPatient), frame);
}

export function imageOrientation(ds: DicomDataset, frame = 0): number[] | undefined {
  return lookup(ds, TAG.PlaneOrientationSequence, (d) => d.decimals(TAG.ImageOrientationPatient), frame);
}
