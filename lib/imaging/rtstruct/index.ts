/** RTSTRUCT reading and contour rasterisation (see read-rtstruct.ts, rasterize.ts). */
export { readRtStruct, type RtStructure, type RtRoi, type RtContour } from "./read-rtstruct";
export { rasterizeRoi, countVoxels } from "./rasterize";
