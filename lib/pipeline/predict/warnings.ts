/** Warnings about a prediction's inputs (what is missing or failed) and about its model (demo, encoder). */
import type { ClinicalRecord } from "../../../generated/prisma/client";
import { ORIGIN_LABELS, type ModelEntry } from "../../deep/models";
import { blockParametersHash, type CaseFeatures, type CaseRole } from "../case-features";
import type { PredictBundle } from "./types";
import { featureWords } from "./words";

function describeMissing(name: string, reason: string): string {
  return `${name.endsWith(".*") ? name.replace(/_/g, "-").replace(".*", "") : featureWords(name)}: ${reason}`;
}

/** Missing series or ROIs, a missing or incomplete clinical record, features that could not be computed. */
export function missingInputWarnings(features: CaseFeatures, clinicalRecord: ClinicalRecord | null): string[] {
  const warnings: string[] = [];
  for (const m of features.missing) if (m.name.endsWith(".*")) warnings.push(describeMissing(m.name, m.reason));
  if (!clinicalRecord)
    warnings.push("no clinical record: clinical variables are missing (imputed with the training median)");
  else if ((clinicalRecord.values as { complete?: unknown } | null)?.complete !== true)
    warnings.push(`clinical record version ${clinicalRecord.version} is incomplete`);
  const clinicalMissing = features.missing.filter((m) => m.name.startsWith("clinical.") && clinicalRecord);
  for (const m of clinicalMissing) warnings.push(describeMissing(m.name, m.reason));
  const featureFailures = features.missing.filter((m) => !m.name.endsWith(".*") && !m.name.startsWith("clinical."));
  for (const m of featureFailures) warnings.push(describeMissing(m.name, m.reason));
  return warnings;
}

/** A demo model, an untrained encoder, encoder weights other than those the model was trained with. */
export function modelWarnings(bundle: PredictBundle, encoder: ModelEntry | null): string[] {
  const warnings: string[] = [];
  const { row, lb, spec } = bundle;
  const card = lb.bundle.modelCard;
  if (card.demo || row.isDemo)
    warnings.push(`demo model (${card.title}): synthetic training data, not for clinical use`);
  if (encoder) {
    if (encoder.origin === "untrained")
      warnings.push(`${ORIGIN_LABELS.untrained} (${encoder.backbone} deep features come from seeded weights)`);
    const differs = lb.bundle.featureSpec.some(
      (f) =>
        f.extractor === `deep:${encoder.backbone}` &&
        !!f.sourceRole &&
        f.settingsHash !==
          blockParametersHash(
            { role: f.sourceRole as CaseRole, region: f.region === "intra" ? "intra" : "peri", extractor: "deep" },
            spec,
            encoder.sha256,
          ),
    );
    if (differs)
      warnings.push(
        `protocol different from training: the ${encoder.backbone} encoder weights differ from those the model was trained with`,
      );
  }
  return warnings;
}
