import { z } from "zod";
import { NacError } from "../../errors";

/**
 * Protocol configuration (zod-validated; every field has a default).
 * Defaults and why:
 * - 10 partitions, train fraction 0.8 (80/20 stratified random splits: the paper reports ten independent
 *   partitions; its split ratio is not restated here, 0.8 is our default), seed 42.
 * - mRMR k = 50 with FCQ (the `mrmr_selection` package's F-test/correlation quotient), then RFE to 10, step 1.
 * - Classifier XGBoost with 100 rounds, eta 0.1, max_depth 3, min_child_weight 1, lambda 1, no row/column
 *   sampling, tree_method exact: shallow trees and a small step because cohorts are ~10² patients; no sampling
 *   keeps every run exactly reproducible.
 * - Threshold 0.5 for the threshold metrics (a row is positive when p > threshold).
 */
const xgbParams = z
  .object({
    num_boost_round: z.number().int().min(1).default(100),
    eta: z.number().positive().max(1).default(0.1),
    max_depth: z.number().int().min(1).max(16).default(3),
    min_child_weight: z.number().min(0).default(1),
    gamma: z.number().min(0).default(0),
    lambda: z.number().min(0).default(1),
    alpha: z.number().min(0).default(0),
    subsample: z.number().positive().max(1).default(1),
    colsample_bytree: z.number().positive().max(1).default(1),
    scale_pos_weight: z.number().positive().default(1),
    tree_method: z.enum(["exact", "hist"]).default("exact"),
    max_bin: z.number().int().min(2).default(256),
    seed: z.number().int().min(0).default(0),
  })
  .strict();

const classifier = z.discriminatedUnion("type", [
  z.object({ type: z.literal("xgboost"), params: xgbParams.prefault({}) }).strict(),
  z.object({ type: z.literal("logistic"), C: z.number().positive().default(1) }).strict(),
]);

const rfe = z.discriminatedUnion("mode", [
  z
    .object({
      mode: z.literal("count"),
      nFeatures: z.number().int().min(1).default(10),
      step: z.number().positive().default(1),
    })
    .strict(),
  z
    .object({
      mode: z.literal("cv"),
      folds: z.number().int().min(2).default(5),
      minFeatures: z.number().int().min(1).default(1),
      scoring: z.enum(["auc", "balancedAccuracy"]).default("auc"),
      step: z.number().positive().default(1),
    })
    .strict(),
  z.object({ mode: z.literal("none") }).strict(),
]);

export const protocolConfigSchema = z
  .object({
    partitions: z.number().int().min(1).max(1000).default(10),
    trainFraction: z.number().gt(0).lt(1).default(0.8),
    seed: z.number().int().min(0).max(0xffffffff).default(42),
    threshold: z.number().gt(0).lt(1).default(0.5),
    ciLevel: z.number().gt(0).lt(1).default(0.95),
    mrmr: z
      .object({
        k: z.number().int().min(1).default(50),
        method: z.enum(["FCQ", "MID", "MIQ"]).default("FCQ"),
        discretisationT: z.number().positive().default(0.5),
        floor: z.number().positive().default(0.001),
        /** Optional (absent = "none", the paper's mRMR) so configs and bundles without it keep their bytes. */
        transform: z.enum(["none", "normalScores"]).optional(),
        /** Optional family-wise level of mRMR's relevance screen (absent = no screen, the paper's mRMR). */
        relevanceAlpha: z.number().gt(0).lt(1).optional(),
      })
      .strict()
      .prefault({}),
    rfe: rfe.prefault({ mode: "count" }),
    classifier: classifier.prefault({ type: "xgboost" }),
    /**
     * Optional (absent = uncalibrated, as every run before calibration existed, so configs and bundles without it keep their
     * bytes): fit a calibration map on out-of-fold predictions inside each training set (`calibrate.ts`). "auto"
     * chooses Platt scaling or isotonic regression by cross-validated log loss.
     */
    calibration: z
      .object({
        method: z.enum(["auto", "platt", "isotonic"]).default("auto"),
        folds: z.number().int().min(2).max(20).default(5),
      })
      .strict()
      .optional(),
    /** Also fit the whole pipeline on all rows (the deployable model). */
    finalModel: z.boolean().default(true),
  })
  .strict();

export type ProtocolConfig = z.output<typeof protocolConfigSchema>;
export type ProtocolConfigInput = z.input<typeof protocolConfigSchema>;
export type ClassifierConfig = ProtocolConfig["classifier"];

export function parseProtocolConfig(input: unknown = {}): ProtocolConfig {
  const r = protocolConfigSchema.safeParse(input ?? {});
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new NacError("SETTINGS_INVALID", `protocol config: ${msg}`);
  }
  return r.data;
}
