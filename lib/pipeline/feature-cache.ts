/**
 * FeatureSet cache (`feature_sets` table): one row per (image content, mask content, region, extractor, parameters,
 * engine version), keyed by the sha256 of exactly those, so a value is reused only when recomputing it would give the
 * same numbers, and any change of image, ROI version, settings, encoder weights or engine forces a recomputation.
 */
import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { canonicalJson } from "../hash/canonical-json";
import { sha256Hex } from "../hash/sha256";
import type { BlockResult, FeatureBlock } from "./case-features";

export interface FeatureSetKeyInput {
  /** sha256 of each stored DICOM instance, in volume (slice) order. */
  imageSha256s: string[];
  maskSha256: string;
  block: FeatureBlock;
  extractor: string;
  extractorVersion: string;
  parametersHash: string;
}

export function featureSetContentHash(k: FeatureSetKeyInput): string {
  return sha256Hex(
    canonicalJson({
      images: k.imageSha256s,
      mask: k.maskSha256,
      role: k.block.role,
      region: k.block.region,
      extractor: k.extractor,
      extractorVersion: k.extractorVersion,
      parameters: k.parametersHash,
    }),
  );
}

export interface CachedFeatureSet {
  id: string;
  contentHash: string;
  result: BlockResult;
}

type Db = Pick<PrismaClient, "featureSet">;

export async function findFeatureSets(db: Db, hashes: string[]): Promise<Map<string, CachedFeatureSet>> {
  const rows = hashes.length ? await db.featureSet.findMany({ where: { contentHash: { in: hashes } } }) : [];
  const out = new Map<string, CachedFeatureSet>();
  for (const r of rows) {
    const v = r.values as { values?: Record<string, number>; failures?: Record<string, string> };
    out.set(r.contentHash, {
      id: r.id,
      contentHash: r.contentHash,
      result: {
        values: v.values ?? {},
        failures: v.failures ?? {},
        provenance: r.provenance as Record<string, unknown>,
      },
    });
  }
  return out;
}

export interface NewFeatureSet {
  contentHash: string;
  seriesId: string;
  roiId: string;
  block: FeatureBlock;
  extractor: string;
  extractorVersion: string;
  parametersHash: string;
  parameters: Record<string, unknown>;
  result: BlockResult;
}

/** Stores a computed block; a concurrent request that stored the same content first wins (same values by construction). */
export async function storeFeatureSet(db: Db, f: NewFeatureSet): Promise<string> {
  const row = await db.featureSet.upsert({
    where: { contentHash: f.contentHash },
    update: {},
    create: {
      contentHash: f.contentHash,
      seriesId: f.seriesId,
      roiId: f.roiId,
      region: f.block.region,
      extractor: f.extractor,
      extractorVersion: f.extractorVersion,
      parametersHash: f.parametersHash,
      parameters: f.parameters as Prisma.InputJsonValue,
      values: { values: f.result.values, failures: f.result.failures } as Prisma.InputJsonValue,
      provenance: f.result.provenance as Prisma.InputJsonValue,
    },
  });
  return row.id;
}
