import { sha256Hex } from "../../hash/sha256";
import { canonicalJson } from "../../hash/canonical-json";
import type { ModelBundle } from "./schema";

/**
 * The hashed parts of a bundle: the header, the model card, the feature specification, and per endpoint its
 * description, training summary, metrics, final pipeline and each partition separately.
 */
export function bundleParts(b: Omit<ModelBundle, "integrity">): Record<string, unknown> {
  const parts: Record<string, unknown> = {
    header: {
      format: b.format,
      schemaVersion: b.schemaVersion,
      bundleId: b.bundleId,
      bundleVersion: b.bundleVersion,
      created: b.created,
    },
    modelCard: b.modelCard,
    featureSpec: b.featureSpec,
  };
  // Later parts are hashed only when present, so that older bundles keep their fingerprints.
  if (b.caseFeatureSpec !== undefined) parts.caseFeatureSpec = b.caseFeatureSpec;
  if (b.acquisition !== undefined) parts.acquisition = b.acquisition;
  if (b.trainingCases !== undefined) parts.trainingCases = b.trainingCases;
  for (const [name, e] of Object.entries(b.endpoints)) {
    const { trainingSummary, metrics, final, partitions, ...description } = e;
    parts[`endpoints.${name}.description`] = description;
    parts[`endpoints.${name}.trainingSummary`] = trainingSummary;
    parts[`endpoints.${name}.metrics`] = metrics;
    parts[`endpoints.${name}.final`] = final;
    partitions.forEach((p, i) => (parts[`endpoints.${name}.partitions.${i}`] = p));
    parts[`endpoints.${name}.partitionCount`] = partitions.length;
  }
  return parts;
}

export function computeIntegrity(b: Omit<ModelBundle, "integrity">): ModelBundle["integrity"] {
  const parts: Record<string, string> = {};
  for (const [k, v] of Object.entries(bundleParts(b))) parts[k] = sha256Hex(canonicalJson(v));
  return { algorithm: "sha256", parts, bundle: sha256Hex(canonicalJson(parts)) };
}
