/** DICOM SEG read/write (see read-seg.ts, write-seg.ts). */
export {
  readSeg,
  type SegReadResult,
  type SegmentMask,
  type SegmentInfo,
  type SegReference,
  type ReadSegOptions,
  type SegmentationType,
} from "./read-seg";
export {
  writeSeg,
  newUid,
  type SegToWrite,
  type SegSource,
  type WriteSegOptions,
  type CodedConcept,
} from "./write-seg";
export { splitLabelMap, mergeToLabelMap, voxelsInMask, type NamedMask } from "./label-map";
