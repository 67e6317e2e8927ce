/**
 * Required inputs: a bundle declares the series (with a tumour ROI) and the clinical record it needs
 * (model card `requiredInputs`; by default every role and the clinical record its input features come from). A
 * prediction missing any is incomplete: shown greyed with the reasons first, and made only on an explicit "predict
 * anyway".
 */
import type { CaseRole } from "../case-features";
import type { PredictInputs } from "./select-inputs";
import type { PredictBundle } from "./types";

export interface RequiredInputs {
  seriesRoles: string[];
  clinicalRecord: boolean;
}

export function requiredInputsOf(bundle: Pick<PredictBundle, "lb">): RequiredInputs {
  const declared = bundle.lb.bundle.modelCard.requiredInputs;
  if (declared) return declared;
  const names = Object.values(bundle.lb.bundle.endpoints).flatMap((e) => e.featureNames);
  const roles = (["CE_T1", "T2", "CT"] as CaseRole[]).filter((r) => names.some((n) => n.startsWith(`${r}.`)));
  return { seriesRoles: roles, clinicalRecord: names.some((n) => n.startsWith("clinical.")) };
}

/** Why the inputs are incomplete for the bundle, reason by reason (empty when complete). */
export function missingRequiredInputs(required: RequiredInputs, inputs: PredictInputs): string[] {
  const reasons: string[] = [];
  for (const role of required.seriesRoles) {
    const r = inputs.roles.find((x) => x.role === role);
    if (!r) reasons.push(`no ${role.replace("_", "-")} series`);
    else if ("absent" in r) reasons.push(r.absent);
  }
  if (required.clinicalRecord) {
    if (!inputs.clinicalRecord) reasons.push("no clinical record");
    else if ((inputs.clinicalRecord.values as { complete?: unknown } | null)?.complete !== true)
      reasons.push(`clinical record version ${inputs.clinicalRecord.version} is incomplete`);
  }
  return reasons;
}
