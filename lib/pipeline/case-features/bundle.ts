/**
 * The case feature spec inside a model bundle: every input feature gets a FeatureSpec entry (role, region, extractor,
 * settings hash), and the complete CaseFeatureSpec sits in the bundle's versioned `caseFeatureSpec` field (a hash alone
 * cannot be turned back into settings), so prediction recomputes exactly the features the model was trained on. The
 * older place, a featureSpec entry named CASE_SPEC_ENTRY with the spec as canonical JSON, is still written so that an
 * installation that predates the field can read a new bundle, and is read for bundles made before the field.
 */
import { NacError } from "../../errors";
import type { CaseFeatureSpecField, FeatureSpec, ModelBundle } from "../../ml/bundle";
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

/** The bundle's versioned caseFeatureSpec field for a spec (canonical JSON, so readers parse exactly what is hashed). */
export function bundleCaseFeatureSpec(spec: CaseFeatureSpec): CaseFeatureSpecField {
  return {
    version: 1,
    spec: JSON.parse(canonicalJson(spec)) as Record<string, unknown>,
    sha256: caseFeatureSpecHash(spec),
  };
}

/**
 * The CaseFeatureSpec a bundle was trained with: its `caseFeatureSpec` field, or for bundles made before that field the
 * "spec:case-features" featureSpec entry. Throws MODEL_INVALID for a bundle without one or whose spec does not match
 * its recorded hash.
 */
export function caseSpecFromBundle(
  bundle: Pick<ModelBundle, "featureSpec"> & Partial<Pick<ModelBundle, "caseFeatureSpec">>,
): CaseFeatureSpec {
  const field = bundle.caseFeatureSpec;
  if (field) {
    const spec = field.spec as unknown as CaseFeatureSpec;
    if (caseFeatureSpecHash(spec) !== field.sha256)
      throw new NacError("MODEL_INVALID", "model bundle's case feature specification does not match its sha256", {
        part: "caseFeatureSpec",
      });
    return validateCaseFeatureSpec(spec);
  }
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
