/** Stores newly computed feature sets, then the prediction and its audit event in one short transaction. */
import type { Prisma } from "../../../generated/prisma/client";
import { recordAudit } from "../../audit/audit-log";
import { findFeatureSets, storeFeatureSet, type NewFeatureSet } from "../feature-cache";
import type { InputsUsed } from "./inputs-used";
import type { StoredPredictionInputs } from "./provenance";
import type { Endpoints, FeatureSetUse, PredictBundle, PredictDeps, PredictUser } from "./types";

/** Time limits of the short write transaction: waiting for a connection, and the transaction itself. */
const TX_LIMITS = { maxWait: 60_000, timeout: 60_000 };

/**
 * Feature sets are a content-addressed cache (same hash -> same values), valid on their own: stored outside the
 * prediction's transaction, which then holds two inserts only. Fills in the ids of `used`.
 */
export async function storeFeatureSets(
  deps: Pick<PredictDeps, "prisma">,
  toStore: NewFeatureSet[],
  used: FeatureSetUse[],
): Promise<void> {
  for (const f of toStore) {
    const id = await storeFeatureSet(deps.prisma, f).catch(async (e) => {
      // a concurrent prediction stored the same content between our upsert's read and insert: theirs is ours
      const hit = (await findFeatureSets(deps.prisma, [f.contentHash])).get(f.contentHash);
      if (!hit) throw e;
      return hit.id;
    });
    const u = used.find((x) => x.contentHash === f.contentHash);
    if (u) u.id = id;
  }
}

export interface PredictionRecord {
  patientId: string;
  bundle: PredictBundle["row"];
  inputs: StoredPredictionInputs;
  used: FeatureSetUse[];
  endpoints: Endpoints;
  inputsUsed: InputsUsed;
  warnings: string[];
  provenanceHash: string;
  user: PredictUser;
  /** Further stored outputs (similar cases, acquisition check). */
  extras?: Record<string, unknown>;
}

/**
 * The prediction row and its audit event. The time limits are generous because 20 concurrent predictions share one
 * event loop: another request's feature extraction can stall this one's commit for seconds (measured: 3 of 20 failed
 * on Prisma's default 5 s).
 */
export async function storePrediction(deps: Pick<PredictDeps, "prisma">, r: PredictionRecord) {
  const outputs = {
    endpoints: r.endpoints,
    model: { bundleId: r.bundle.bundleId, version: r.bundle.version },
    inputsUsed: r.inputsUsed,
    ...r.extras,
  };
  return deps.prisma.$transaction(async (tx) => {
    const prediction = await tx.prediction.create({
      data: {
        patientId: r.patientId,
        modelBundleId: r.bundle.id,
        modelVersion: r.bundle.version,
        inputs: { ...r.inputs, featureSetIds: r.used.map((u) => u.id) } as unknown as Prisma.InputJsonValue,
        outputs: outputs as unknown as Prisma.InputJsonValue,
        warnings: r.warnings as Prisma.InputJsonValue,
        provenanceHash: r.provenanceHash,
        userId: r.user.id,
      },
    });
    await recordAudit(tx, {
      action: "prediction.create",
      userId: r.user.id,
      username: r.user.username,
      patientId: r.patientId,
      targetType: "prediction",
      targetId: prediction.id,
      details: {
        bundleId: r.bundle.bundleId,
        version: r.bundle.version,
        incomplete: r.inputsUsed.incomplete,
        pcr: r.endpoints.pcr.probability,
        response: r.endpoints.response.probability,
        warnings: r.warnings.length,
        provenanceHash: r.provenanceHash,
      },
    });
    return prediction;
  }, TX_LIMITS);
}
