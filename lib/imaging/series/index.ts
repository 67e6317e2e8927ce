/** DICOM series -> Volume assembly and series-role suggestion (see read-series.ts, classify-role.ts). */
export {
  readDicomSeries,
  orderPlanes,
  splitPhases,
  isVolumeImage,
  type DicomSeries,
  type SeriesMetadata,
  type SeriesAcquisition,
} from "./read-series";
export { classifySeriesRole, type SeriesRole, type RoleSuggestion, type RoleInput } from "./classify-role";
export { imagePlanes, PHASE_KEYS, type ImagePlane, type PhaseKey } from "./image-planes";
