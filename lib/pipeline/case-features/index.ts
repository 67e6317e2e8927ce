/**
 * Case features: one patient's series (+ tumour ROIs) and clinical record -> one named feature row, exactly as a model
 * bundle was trained on. Pure wiring of the engines (lib/imaging, lib/radiomics, lib/deep); no database, no files.
 *
 * Names are stable: `${role}.${region}.${feature}` with role CE_T1 | T2 | CT and region intra | peri, e.g.
 * `CE_T1.intra.original_glcm_Contrast`, `CE_T1.peri.resnet10_017`; clinical variables are `clinical.<var>`
 * (encodings in CLINICAL_ENCODINGS). Work is split into blocks (role x region x extractor) so that a caller can cache
 * each block by content (lib/pipeline/feature-cache.ts) and recompute only what is missing.
 */
export * from "./types";
export * from "./spec";
export * from "./blocks";
export * from "./assemble";
export { CLINICAL_ENCODINGS, encodeClinical, type ClinicalEncoding } from "../../clinical/encoding";
