/** A case's feature row: block results prefixed into names, clinical encodings added, every missing value listed. */
import { roleLabel } from "../../imaging/series/roles";
import { blockPrefix, caseBlocks, extractBlock } from "./blocks";
import { encodeClinical } from "../../clinical/encoding";
import { CASE_FEATURES_VERSION, caseFeatureSpecHash, validateCaseFeatureSpec } from "./spec";
import type {
  BlockOutcome,
  CaseFeatureContext,
  CaseFeatures,
  CaseFeatureSpec,
  CaseInput,
  CaseRole,
  MissingFeature,
} from "./types";

/** Prefixes block results into the named row and lists every missing feature or group with its reason. */
export function assembleCaseFeatures(
  spec: CaseFeatureSpec,
  blocks: BlockOutcome[],
  clinical: Record<string, unknown> | null,
): CaseFeatures {
  const values: Record<string, number> = {};
  const missing: MissingFeature[] = [];
  const prov: Record<string, unknown>[] = [];
  const absentRoles = new Map<CaseRole, string>();
  for (const o of blocks) {
    const prefix = blockPrefix(o.block);
    if ("absent" in o) {
      // One entry per role when the whole series (or its ROI) is absent, rather than one per block.
      if (absentRoles.get(o.block.role) !== o.absent) {
        absentRoles.set(o.block.role, o.absent);
        missing.push({ name: `${o.block.role}.*`, reason: o.absent });
      }
      continue;
    }
    const tag =
      o.block.extractor === "deep"
        ? `${prefix}${spec.deep!.backbone}_*`
        : `${prefix}${spec.handcrafted!.imageTypePrefix}_*`;
    for (const [k, v] of Object.entries(o.result.values)) {
      if (!Number.isFinite(v)) missing.push({ name: prefix + k, reason: "not a finite number" });
      else values[prefix + k] = v;
    }
    for (const [k, reason] of Object.entries(o.result.failures))
      missing.push({ name: k === "*" ? tag : prefix + k, reason });
    prov.push(o.result.provenance);
  }
  const enc = encodeClinical(clinical, spec.clinical);
  Object.assign(values, enc.values);
  missing.push(...enc.missing);
  return {
    values,
    missing,
    provenance: {
      caseFeaturesVersion: CASE_FEATURES_VERSION,
      specHash: caseFeatureSpecHash(spec),
      blocks: prov,
      clinical: { present: clinical !== null, encoded: Object.keys(enc.values) },
    },
  };
}

/** All blocks of the spec for one case, computed in order (no cache). */
export async function extractCaseFeatures(
  input: CaseInput,
  spec: CaseFeatureSpec,
  ctx: CaseFeatureContext = {},
): Promise<CaseFeatures> {
  validateCaseFeatureSpec(spec);
  const outcomes: BlockOutcome[] = [];
  for (const block of caseBlocks(spec)) {
    const s = input.series.find((x) => x.role === block.role);
    if (!s) outcomes.push({ block, absent: `no ${roleLabel(block.role)} series` });
    else if (!s.tumour) outcomes.push({ block, absent: `no tumour ROI on the ${roleLabel(block.role)} series` });
    else outcomes.push({ block, result: await extractBlock(s.volume, s.tumour, block, spec, ctx) });
  }
  return assembleCaseFeatures(spec, outcomes, input.clinical);
}

/** The feature names of a set of case rows: every name with a value in at least one row, in first-seen order. */
export function featureColumns(rows: { values: Record<string, number> }[]): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    for (const k of Object.keys(r.values)) {
      if (seen.has(k)) continue;
      seen.add(k);
      names.push(k);
    }
  }
  return names;
}
