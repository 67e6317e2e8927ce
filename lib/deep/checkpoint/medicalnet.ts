/**
 * Turns a parsed MedicalNet checkpoint into the encoder's state_dict, checking every key and shape.
 * Accepts {'state_dict': {...}} or a bare state_dict; `module.` prefixes (DataParallel) are stripped;
 * num_batches_tracked and the segmentation head (conv_seg.*) are ignored. The base width is read from conv1.weight
 * (64 for MedicalNet's releases) and every other shape must agree with it.
 */
import { NacError } from "../../errors";
import { expectedStateDict, type Depth } from "../architecture";
import type { StateDict } from "../state-dict";
import { TorchTensor } from "./torch-file";

export interface MedicalNetWeights {
  depth: Depth;
  base: number;
  stateDict: StateDict;
  /** keys present in the file but not used by the encoder (conv_seg head, num_batches_tracked) */
  ignoredKeys: string[];
}

function invalid(msg: string, details?: Record<string, unknown>): never {
  throw new NacError("CHECKPOINT_INVALID", msg, details);
}

const fmt = (s: number[]) => `[${s.join(", ")}]`;

export function medicalNetStateDict(parsed: unknown, depth: Depth): MedicalNetWeights {
  if (!(parsed instanceof Map)) invalid("checkpoint does not hold a dictionary");
  let sdRaw: unknown = parsed;
  if (parsed.has("state_dict")) sdRaw = parsed.get("state_dict");
  if (!(sdRaw instanceof Map)) invalid("checkpoint's state_dict is not a dictionary");

  const sd: StateDict = new Map();
  const ignoredKeys: string[] = [];
  for (const [rawKey, v] of sdRaw) {
    if (typeof rawKey !== "string") invalid("state_dict has a non-string key");
    const key = rawKey.startsWith("module.") ? rawKey.slice("module.".length) : rawKey;
    if (key.endsWith(".num_batches_tracked") || key.startsWith("conv_seg.")) {
      ignoredKeys.push(rawKey);
      continue;
    }
    if (!(v instanceof TorchTensor)) invalid(`state_dict entry ${rawKey} is not a tensor`);
    if (sd.has(key)) invalid(`state_dict holds ${key} twice (with and without the module. prefix)`);
    sd.set(key, { shape: v.shape, data: v.data });
  }

  const conv1 = sd.get("conv1.weight");
  if (!conv1) invalid(`missing key conv1.weight (expected for MedicalNet ResNet${depth})`, { key: "conv1.weight" });
  const base = conv1.shape[0];
  if (conv1.shape.length !== 5 || !(base > 0))
    invalid(`conv1.weight has shape ${fmt(conv1.shape)}, expected [W, 1, 7, 7, 7]`);

  const expected = expectedStateDict(depth, base);
  for (const [key, shape] of expected) {
    const t = sd.get(key);
    if (!t) invalid(`missing key ${key} (expected for MedicalNet ResNet${depth}; wrong --depth?)`, { key });
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      invalid(
        `${key} has shape ${fmt(t.shape)}, expected ${fmt(shape)} for MedicalNet ResNet${depth} (base width ${base})`,
        {
          key,
          shape: t.shape,
          expected: shape,
        },
      );
    }
    for (let i = 0; i < t.data.length; i++) {
      if (!Number.isFinite(t.data[i])) invalid(`${key} holds a non-finite value at index ${i}`, { key });
    }
  }
  const known = new Set(expected.map(([k]) => k));
  for (const key of sd.keys()) {
    if (!known.has(key))
      invalid(`unexpected key ${key}: not part of MedicalNet ResNet${depth} (wrong --depth?)`, { key });
  }
  for (const [k, v] of sd) {
    if (k.endsWith("running_var") && v.data.some((x) => x < 0)) invalid(`${k} holds a negative variance`, { key: k });
  }
  return { depth, base, stateDict: sd, ignoredKeys };
}
