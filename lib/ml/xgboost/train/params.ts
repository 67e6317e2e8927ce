/**
 * Training parameters with XGBoost's names, aliases and defaults (1.7.4), validated once.
 * Values XGBoost stores as float (eta, lambda, alpha, gamma, min_child_weight, subsample, ...) are rounded to float32
 * so the arithmetic sees exactly what XGBoost sees (eta 0.3 is 0.300000012).
 */
import { NacError } from "../../../errors";

export type TreeMethod = "exact" | "hist";
export type TrainObjective = "binary:logistic" | "reg:squarederror";

export interface TrainParams {
  objective: TrainObjective;
  tree_method: TreeMethod;
  eta: number;
  max_depth: number;
  min_child_weight: number;
  gamma: number;
  lambda: number;
  alpha: number;
  max_delta_step: number;
  subsample: number;
  colsample_bytree: number;
  scale_pos_weight: number;
  /** XGBoost 1.7 default 0.5 for both objectives (1.7 does not estimate it from the data). */
  base_score: number;
  num_boost_round: number;
  seed: number;
  max_bin: number;
}

export const DEFAULT_PARAMS: TrainParams = {
  objective: "binary:logistic",
  tree_method: "exact",
  eta: 0.3,
  max_depth: 6,
  min_child_weight: 1,
  gamma: 0,
  lambda: 1,
  alpha: 0,
  max_delta_step: 0,
  subsample: 1,
  colsample_bytree: 1,
  scale_pos_weight: 1,
  base_score: 0.5,
  num_boost_round: 10,
  seed: 0,
  max_bin: 256,
};

const ALIASES: Record<string, keyof TrainParams> = {
  learning_rate: "eta",
  reg_lambda: "lambda",
  reg_alpha: "alpha",
  min_split_loss: "gamma",
  n_estimators: "num_boost_round",
  num_round: "num_boost_round",
  nrounds: "num_boost_round",
  random_state: "seed",
};

/** Keys accepted and ignored because they do not change the model (threading, logging). */
const IGNORED = new Set([
  "nthread",
  "n_jobs",
  "verbosity",
  "silent",
  "eval_metric",
  "booster",
  "validate_parameters",
  "disable_default_eval_metric",
]);

function bad(msg: string): never {
  throw new NacError("SETTINGS_INVALID", `XGBoost parameter ${msg}`);
}

export type ParamInput = Partial<Record<keyof TrainParams, unknown>> & Record<string, unknown>;

/** Resolves aliases, applies defaults and checks ranges. Unknown keys are an error (a typo must not pass silently). */
export function resolveParams(input: ParamInput = {}): TrainParams {
  const p: TrainParams = { ...DEFAULT_PARAMS };
  const seen = new Set<string>();
  for (const [rawKey, v] of Object.entries(input)) {
    if (v === undefined) continue;
    if (rawKey === "booster" && v !== "gbtree") bad(`booster "${String(v)}": only gbtree is trained`);
    if (IGNORED.has(rawKey)) continue;
    const key = (ALIASES[rawKey] ?? rawKey) as keyof TrainParams;
    if (!(key in DEFAULT_PARAMS)) bad(`"${rawKey}" is not supported`);
    if (seen.has(key)) bad(`"${key}" given twice (directly and through an alias)`);
    seen.add(key);
    if (key === "objective") {
      if (v !== "binary:logistic" && v !== "reg:squarederror")
        bad(`objective "${String(v)}": supported are binary:logistic, reg:squarederror`);
      p.objective = v;
    } else if (key === "tree_method") {
      if (v !== "exact" && v !== "hist") bad(`tree_method "${String(v)}": supported are exact, hist`);
      p.tree_method = v;
    } else {
      const x = typeof v === "string" ? Number(v) : v;
      if (typeof x !== "number" || !Number.isFinite(x))
        bad(`${rawKey} must be a finite number, got ${JSON.stringify(v)}`);
      (p as unknown as Record<string, number>)[key] = x;
    }
  }
  const intIn = (k: keyof TrainParams, lo: number, hi = Infinity) => {
    const x = p[k] as number;
    if (!Number.isInteger(x) || x < lo || x > hi) bad(`${k} must be an integer in [${lo}, ${hi}], got ${x}`);
  };
  intIn("max_depth", 1, 30);
  intIn("num_boost_round", 0);
  intIn("seed", -2147483648, 4294967295);
  intIn("max_bin", 2);
  if (!(p.eta >= 0)) bad(`eta must be >= 0, got ${p.eta}`);
  if (!(p.min_child_weight >= 0)) bad(`min_child_weight must be >= 0`);
  if (!(p.gamma >= 0)) bad(`gamma must be >= 0`);
  if (!(p.lambda >= 0)) bad(`lambda must be >= 0`);
  if (!(p.alpha >= 0)) bad(`alpha must be >= 0`);
  if (!(p.max_delta_step >= 0)) bad(`max_delta_step must be >= 0`);
  if (!(p.subsample > 0 && p.subsample <= 1)) bad(`subsample must be in (0, 1], got ${p.subsample}`);
  if (!(p.colsample_bytree > 0 && p.colsample_bytree <= 1))
    bad(`colsample_bytree must be in (0, 1], got ${p.colsample_bytree}`);
  if (!(p.scale_pos_weight > 0)) bad(`scale_pos_weight must be > 0`);
  if (p.objective === "binary:logistic" && !(p.base_score > 0 && p.base_score < 1))
    bad(`base_score must be in (0, 1) for binary:logistic, got ${p.base_score}`);
  for (const k of [
    "eta",
    "min_child_weight",
    "gamma",
    "lambda",
    "alpha",
    "max_delta_step",
    "subsample",
    "colsample_bytree",
    "scale_pos_weight",
    "base_score",
  ] as const)
    p[k] = Math.fround(p[k]);
  return p;
}
