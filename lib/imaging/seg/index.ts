/** DICOM SEG read/write (see read-seg.ts, write-seg.ts). */
export { readSeg, type SegReadResult, type SegmentMask, type SegmentInfo, type SegReference, type ReadSegOptions, type SegmentationType } from "./read-seg";
