/** Minimal types for the parts of dcmjs the SEG writer uses (dcmjs ships no declarations). */
declare module "dcmjs" {
  type Dataset = Record<string, unknown>;
  export const data: {
    DicomDict: new (meta: Dataset) => { dict: Dataset; write(options?: Dataset): ArrayBuffer };
    DicomMessage: { readFile(buffer: ArrayBuffer, options?: Dataset): { dict: Dataset; meta: Dataset } };
    DicomMetaDictionary: {
      denaturalizeDataset(ds: Dataset): Dataset;
      naturalizeDataset(ds: Dataset): Dataset;
    };
  };
}
