/**
 * The case feature spec inside a model bundle: every input feature gets a FeatureSpec entry (role, region, extractor,
 * settings hash), and one extra entry named CASE_SPEC_ENTRY carries the complete CaseFeatureSpec as canonical JSON
 * (the bundle schema is strict, and a hash alone cannot be turned back into settings), so prediction recomputes exactly
 * the features the model was trained on.
 */
import { NacError } from "../../errors";
import type { FeatureSpec, ModelBundle } from "../../ml/bundle";
import { canonicalJson } from "../../hash/canonical-json";
import { blockParametersHash, extractorId } from "./blocks";
import { caseFeatureSpecHash, periShellModeOf, validateCaseFeatureSpec } from "./spec";
import type { CaseFeatureSpec, CaseRegion, CaseRole, FeatureBlock, PeriShellMode } from "./types";
import { CLINICAL_ENCODINGS } from "../../clinical/encoding";

export const CASE_SPEC_ENTRY = "spec:case-features";

/** Parses `${role}.${region}.${feature}` / `clinical.${var}`. */
export function parseCaseFeatureName(
  name: string,
):
  | { kind: "image"; role: CaseRole; region: CaseRegion; feature: string }
  | { kind: "clinical"; variable: string }
  | null {
  const m = /^(CE_T1|T2|CT)\.(intra|peri)\.(.+)$/.exec(name);
  if (m) return { kind: "image", role: m[1] as CaseRole, region: m[2] as CaseRegion, feature: m[3] };
  const c = /^clinical\.(.+)$/.exec(name);
  return c ? { kind: "clinical", variable: c[1] } : null;
}

export function bundleFeatureSpec(spec: CaseFeatureSpec, featureNames: string[], modelSha256?: string): FeatureSpec[] {
  const entries: FeatureSpec[] = featureNames.map((name) => {
    const p = parseCaseFeatureName(name);
    if (!p) throw new NacError("DATA_INVALID", `feature ${name} is not a case feature name`);
    if (p.kind === "clinical") {
      const def = CLINICAL_ENCODINGS.find((v) => v.name === p.variable);
      return { name, extractor: "clinical", description: def ? `${def.words} (${def.encoding})` : p.variable };
    }
    const extractor = p.feature.startsWith(`${spec.deep?.backbone ?? "\0"}_`) ? "deep" : "radiomics";
    const block: FeatureBlock = { role: p.role, region: p.region, extractor };
    return {
      name,
      sourceRole: p.role,
      // "peri-5mm" alone is the centres shell (bundles before periShellMode); every other shell mode says which it is.
      region: p.region === "peri" ? `peri-${spec.periMarginMm}mm${periShellLabel(periShellModeOf(spec))}` : "intra",
      extractor: extractorId(block, spec),
      settingsHash: blockParametersHash(block, spec, extractor === "deep" ? modelSha256 : undefined),
    };
  });
  entries.push({
    name: CASE_SPEC_ENTRY,
    extractor: "case-features",
    settingsHash: caseFeatureSpecHash(spec),
    description: canonicalJson(spec),
  });
  return entries;
}

function periShellLabel(mode: PeriShellMode): string {
  return mode === "centres" ? "" : `-${mode}`;
}

/** The CaseFeatureSpec a bundle was trained with (throws MODEL_INVALID for a bundle without one). */
export function caseSpecFromBundle(bundle: Pick<ModelBundle, "featureSpec">): CaseFeatureSpec {
  const e = bundle.featureSpec.find((f) => f.name === CASE_SPEC_ENTRY);
  if (!e?.description)
    throw new NacError(
      "MODEL_INVALID",
      "model bundle has no case feature specification: it was not trained on case features",
    );
  let spec: CaseFeatureSpec;
  try {
    spec = JSON.parse(e.description) as CaseFeatureSpec;
  } catch {
    throw new NacError("MODEL_INVALID", "model bundle's case feature specification is not valid JSON");
  }
  if (caseFeatureSpecHash(spec) !== e.settingsHash)
    throw new NacError("MODEL_INVALID", "model bundle's case feature specification does not match its hash");
  return validateCaseFeatureSpec(spec);
}
