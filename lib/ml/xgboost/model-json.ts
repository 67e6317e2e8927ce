/**
 * XGBoost JSON model schema <-> XGBModel. Reads the 1.7 layout and the 2.x/3.x variants (base_score as "5E-1",
 * "[5E-1]" or a vector, DART boosters, extra fields); the same object shape comes from UBJSON, so both formats share
 * this reader. Writes the 1.7.4 layout, which XGBoost 1.7 and later load.
 */
import { NacError } from "../../errors";
import { SUPPORTED_OBJECTIVES, validateModel, type Objective, type XGBModel, type XGBTree } from "./model";

type Json = unknown;

function fail(msg: string): never {
  throw new NacError("MODEL_INVALID", `XGBoost model: ${msg}`);
}

function obj(v: Json, what: string): Record<string, Json> {
  if (v === null || typeof v !== "object" || Array.isArray(v) || ArrayBuffer.isView(v))
    fail(`${what} must be an object`);
  return v as Record<string, Json>;
}

function arr(v: Json, what: string): ArrayLike<Json> {
  if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) return v as unknown as ArrayLike<Json>;
  fail(`${what} must be an array`);
}

/** XGBoost writes most scalars as strings ("5E-1"); 2.x wraps vectors in brackets ("[5E-1]"). */
export function parseNumberList(v: Json, what: string): number[] {
  if (typeof v === "number") return [v];
  if (typeof v === "boolean") return [v ? 1 : 0];
  if (typeof v === "string") {
    const s = v.trim();
    const inner = s.startsWith("[") && s.endsWith("]") ? s.slice(1, -1) : s;
    const parts = inner
      .split(",")
      .map((p) => p.trim())
      .filter((p) => p.length > 0);
    const out = parts.map((p) => Number(p));
    if (out.length === 0 || out.some((x) => Number.isNaN(x) && !/^nan$/i.test(parts[0])))
      fail(`${what}: cannot parse number "${v}"`);
    return out;
  }
  if (Array.isArray(v)) return v.flatMap((x, i) => parseNumberList(x, `${what}[${i}]`));
  fail(`${what} must be a number or numeric string`);
}

function num(v: Json, what: string): number {
  const l = parseNumberList(v, what);
  if (l.length !== 1) fail(`${what} must be a single number`);
  return l[0];
}

function int(v: Json, what: string): number {
  const x = num(v, what);
  if (!Number.isInteger(x)) fail(`${what} must be an integer, got ${x}`);
  return x;
}

function numArray<T extends Float32Array | Int32Array | Uint8Array>(
  v: Json,
  what: string,
  n: number,
  Ctor: { new (n: number): T },
): T {
  const a = arr(v, what);
  if (a.length !== n) fail(`${what} has ${a.length} entries, expected ${n}`);
  const out = new Ctor(n);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y =
      typeof x === "boolean" ? (x ? 1 : 0) : typeof x === "number" ? x : typeof x === "bigint" ? Number(x) : undefined;
    if (y === undefined) fail(`${what}[${i}] is not a number`);
    out[i] = y;
  }
  return out;
}

function readTree(v: Json, ti: number): XGBTree {
  const t = obj(v, `tree ${ti}`);
  const tp = obj(t.tree_param, `tree ${ti} tree_param`);
  const n = int(tp.num_nodes, `tree ${ti} num_nodes`);
  const leafVec = tp.size_leaf_vector === undefined ? 0 : int(tp.size_leaf_vector, "size_leaf_vector");
  if (leafVec > 1) fail(`tree ${ti} is a multi-target (vector-leaf) tree, which is not supported`);
  if (t.split_type !== undefined) {
    const st = arr(t.split_type, "split_type");
    for (let i = 0; i < st.length; i++)
      if (Number(st[i]) !== 0) fail(`tree ${ti} has categorical splits, which are not supported`);
  }
  const w = `tree ${ti}`;
  const tree: XGBTree = {
    left: numArray(t.left_children, `${w} left_children`, n, Int32Array),
    right: numArray(t.right_children, `${w} right_children`, n, Int32Array),
    parent: numArray(t.parents, `${w} parents`, n, Int32Array),
    splitIndex: numArray(t.split_indices, `${w} split_indices`, n, Int32Array),
    splitCondition: numArray(t.split_conditions, `${w} split_conditions`, n, Float32Array),
    defaultLeft: numArray(t.default_left, `${w} default_left`, n, Uint8Array),
    baseWeight:
      t.base_weights !== undefined
        ? numArray(t.base_weights, `${w} base_weights`, n, Float32Array)
        : new Float32Array(n),
    lossChange:
      t.loss_changes !== undefined
        ? numArray(t.loss_changes, `${w} loss_changes`, n, Float32Array)
        : new Float32Array(n),
    sumHessian:
      t.sum_hessian !== undefined ? numArray(t.sum_hessian, `${w} sum_hessian`, n, Float32Array) : new Float32Array(n),
    numDeleted: tp.num_deleted === undefined ? 0 : int(tp.num_deleted, "num_deleted"),
  };
  return tree;
}

/** Builds an XGBModel from a parsed XGBoost JSON/UBJSON document. */
export function modelFromJsonObject(doc: Json): XGBModel {
  const root = obj(doc, "document");
  const learner = obj(root.learner, "learner");
  const lmp = obj(learner.learner_model_param, "learner_model_param");
  const objective = obj(learner.objective, "objective");
  const name = String(objective.name) as Objective;
  if (!SUPPORTED_OBJECTIVES.includes(name))
    fail(`objective "${String(objective.name)}" is not supported (supported: ${SUPPORTED_OBJECTIVES.join(", ")})`);
  const numFeature = int(lmp.num_feature, "num_feature");
  const numClass = lmp.num_class === undefined ? 0 : int(lmp.num_class, "num_class");
  const numTarget = lmp.num_target === undefined ? 1 : int(lmp.num_target, "num_target");
  if (numTarget > 1) fail(`num_target ${numTarget}: multi-target models are not supported`);
  const numGroup = Math.max(1, numClass);
  const baseScore = parseNumberList(lmp.base_score ?? "5E-1", "base_score");
  const regLoss = objective.reg_loss_param ? obj(objective.reg_loss_param, "reg_loss_param") : {};
  const scalePosWeight = regLoss.scale_pos_weight === undefined ? 1 : num(regLoss.scale_pos_weight, "scale_pos_weight");

  let gb = obj(learner.gradient_booster, "gradient_booster");
  let weightDrop: Float32Array | undefined;
  if (gb.name === "dart") {
    const wd = arr(gb.weight_drop, "weight_drop");
    weightDrop = Float32Array.from({ length: wd.length }, (_, i) => Number(wd[i]));
    gb = obj(gb.gbtree, "dart gbtree");
  } else if (gb.name !== undefined && gb.name !== "gbtree") {
    fail(`booster "${String(gb.name)}" is not supported (gbtree and dart are)`);
  }
  const model = obj(gb.model, "gradient_booster.model");
  const treesJ = arr(model.trees, "trees");
  const trees: XGBTree[] = [];
  for (let i = 0; i < treesJ.length; i++) trees.push(readTree(treesJ[i], i));
  const tiJ = arr(model.tree_info, "tree_info");
  const treeInfo = Int32Array.from({ length: tiJ.length }, (_, i) => Number(tiJ[i]));
  if (weightDrop && weightDrop.length !== trees.length)
    fail(`weight_drop has ${weightDrop.length} entries for ${trees.length} trees`);

  const attrs: Record<string, string> = {};
  if (learner.attributes && typeof learner.attributes === "object") {
    for (const [k, v] of Object.entries(learner.attributes as Record<string, Json>)) attrs[k] = String(v);
  }
  const strList = (v: Json): string[] => (v === undefined ? [] : Array.from(arr(v, "feature list"), (x) => String(x)));
  const ver = root.version === undefined ? [0, 0, 0] : Array.from(arr(root.version, "version"), (x) => Number(x));
  const m: XGBModel = {
    objective: name,
    baseScore,
    numFeature,
    numGroup,
    trees,
    treeInfo,
    weightDrop,
    featureNames: strList(learner.feature_names),
    featureTypes: strList(learner.feature_types),
    scalePosWeight,
    attributes: attrs,
    version: [ver[0] ?? 0, ver[1] ?? 0, ver[2] ?? 0],
  };
  validateModel(m);
  return m;
}

function treeToJson(t: XGBTree, id: number, numFeature: number): Record<string, unknown> {
  const n = t.left.length;
  // Typed arrays mark value kinds (JSON reals vs integers) and give the UBJSON array types XGBoost 1.7 expects.
  return {
    base_weights: Float32Array.from(t.baseWeight),
    categories: new Int32Array(0),
    categories_nodes: new Int32Array(0),
    categories_segments: new BigInt64Array(0),
    categories_sizes: new BigInt64Array(0),
    default_left: Uint8Array.from(t.defaultLeft),
    id,
    left_children: Int32Array.from(t.left),
    loss_changes: Float32Array.from(t.lossChange),
    parents: Int32Array.from(t.parent),
    right_children: Int32Array.from(t.right),
    split_conditions: Float32Array.from(t.splitCondition),
    split_indices: Int32Array.from(t.splitIndex),
    split_type: new Uint8Array(n),
    sum_hessian: Float32Array.from(t.sumHessian),
    tree_param: {
      num_deleted: String(t.numDeleted),
      num_feature: String(numFeature),
      num_nodes: String(n),
      size_leaf_vector: "0",
    },
  };
}

/**
 * Shortest decimal that reads back as the same float32 (at most 9 significant digits). XGBoost's number parser
 * silently mis-reads longer strings (a base_score of "0.20000000298023224" loads as 0.5), so never write more.
 */
export function float32Text(x: number): string {
  const v = Math.fround(x);
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (Object.is(v, -0)) return "-0";
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

/** XGBoost's JSON reader distinguishes integers from reals: a real must carry a '.' or an exponent. */
function realText(x: number): string {
  const s = float32Text(x);
  return /[.eEN]|Inf/.test(s) ? s : `${s}.0`;
}

/** JSON text of a model object: Float32Array/Float64Array as reals (shortest float32 round-trip). */
export function stringifyModelObject(v: unknown): string {
  if (v instanceof Float32Array || v instanceof Float64Array) return `[${Array.from(v, realText).join(",")}]`;
  if (ArrayBuffer.isView(v)) return `[${Array.from(v as unknown as ArrayLike<number>, (x) => String(x)).join(",")}]`;
  if (Array.isArray(v)) return `[${v.map(stringifyModelObject).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${stringifyModelObject(x)}`)
      .join(",")}}`;
  if (typeof v === "number" && !Number.isInteger(v)) return realText(v);
  return JSON.stringify(v);
}

/** Serialises to the XGBoost 1.7.4 JSON layout (the format `Booster.save_model("m.json")` writes). */
export function modelToJsonObject(m: XGBModel): Record<string, unknown> {
  validateModel(m);
  if (m.baseScore.length !== 1) {
    const b0 = m.baseScore[0];
    if (m.baseScore.some((b) => b !== b0)) fail("per-class base_score cannot be written in the 1.7 layout");
  }
  const objective: Record<string, unknown> = { name: m.objective };
  if (m.objective.startsWith("multi:")) objective.softmax_multiclass_param = { num_class: String(m.numGroup) };
  else objective.reg_loss_param = { scale_pos_weight: float32Text(m.scalePosWeight) };
  const gbtreeModel = {
    gbtree_model_param: { num_parallel_tree: "1", num_trees: String(m.trees.length), size_leaf_vector: "0" },
    tree_info: Array.from(m.treeInfo),
    trees: m.trees.map((t, i) => treeToJson(t, i, m.numFeature)),
  };
  const gradientBooster = m.weightDrop
    ? { name: "dart", gbtree: { name: "gbtree", model: gbtreeModel }, weight_drop: Float32Array.from(m.weightDrop) }
    : { name: "gbtree", model: gbtreeModel };
  return {
    learner: {
      attributes: { ...m.attributes },
      feature_names: [...m.featureNames],
      feature_types: [...m.featureTypes],
      gradient_booster: gradientBooster,
      learner_model_param: {
        base_score: float32Text(m.baseScore[0]),
        // XGBoost 1.7 re-derives base_score on load when boost_from_average is set; only the default 0.5 is safe.
        boost_from_average: Math.fround(m.baseScore[0]) === 0.5 ? "1" : "0",
        num_class: String(m.objective.startsWith("multi:") ? m.numGroup : 0),
        num_feature: String(m.numFeature),
        num_target: "1",
      },
      objective,
    },
    version: [1, 7, 4],
  };
}

export function modelFromJsonText(text: string): XGBModel {
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new NacError("MODEL_INVALID", `XGBoost model: not valid JSON (${(e as Error).message})`);
  }
  return modelFromJsonObject(doc);
}

export function modelToJsonText(m: XGBModel): string {
  return stringifyModelObject(modelToJsonObject(m));
}
