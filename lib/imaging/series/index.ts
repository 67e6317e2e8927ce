/** DICOM series -> Volume assembly and series-role suggestion (see read-series.ts, classify-role.ts). */
export { readDicomSeries, orderPlanes, isVolumeImage, type DicomSeries, type SeriesMetadata, type SeriesAcquisition } from "./read-series";
export { classifySeriesRole, type SeriesRole, type RoleSuggestion, type RoleInput } from "./classify-role";
export { imagePlanes, type ImagePlane } from "./image-planes";
