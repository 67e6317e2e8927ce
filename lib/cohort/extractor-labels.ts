import type { CohortExtractor } from "./extraction-spec";

/** The words for each feature extractor on screen (extraction panel, experiment form). */
export const EXTRACTOR_LABELS: Readonly<Record<CohortExtractor, string>> = {
  handcrafted: "Handcrafted radiomics",
  resnet10: "ResNet10",
  resnet18: "ResNet18",
  resnet34: "ResNet34",
  resnet50: "ResNet50",
};

/** The label of an extractor id from an API answer (the id itself when unknown). */
export function extractorLabel(id: string): string {
  return (EXTRACTOR_LABELS as Readonly<Record<string, string>>)[id] ?? id;
}
