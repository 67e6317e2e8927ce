/**
 * File edge of the encoder registry (Node only): models/manifest.json + models/<backbone>.onnx.
 * `initModels` writes the deterministic untrained encoders; `importMedicalNet` converts a MedicalNet .pth.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { NacError } from "../../errors";
import { BACKBONES, DEPTHS, featureLength, MEDICALNET_BASE_WIDTH, type Backbone, type Depth } from "../architecture";
import { medicalNetStateDict } from "../checkpoint/medicalnet";
import { readTorchFile } from "../checkpoint/torch-file";
import { seededStateDict, DEFAULT_SEED } from "../init-weights";
import {
  emptyManifest,
  modelEntry,
  ORIGIN_LABELS,
  parseManifest,
  type ModelEntry,
  type ModelManifest,
} from "../models";
import { buildEncoderOnnx, FEATURES_OUTPUT, INPUT_NAME, MAP_OUTPUT } from "../onnx/build-encoder";

export const MANIFEST_FILE = "manifest.json";

export function defaultModelsDir(): string {
  return path.resolve(process.env.NAC_MODELS_DIR ?? path.join(process.cwd(), "models"));
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function readManifest(dir: string): ModelManifest {
  const p = path.join(dir, MANIFEST_FILE);
  if (!existsSync(p)) return emptyManifest();
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(p, "utf8"));
  } catch (e) {
    throw new NacError("MODEL_INVALID", `${p} is not valid JSON`, undefined, { cause: e });
  }
  return parseManifest(json);
}

function atomicWrite(file: string, data: Uint8Array | string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

export function writeManifest(dir: string, m: ModelManifest): void {
  // stable key order so the committed manifest does not churn
  const models = Object.fromEntries(
    Object.keys(m.models)
      .sort()
      .map((k) => [k, m.models[k]]),
  );
  atomicWrite(path.join(dir, MANIFEST_FILE), `${JSON.stringify({ ...m, models }, null, 2)}\n`);
}

function entryFor(depth: Depth, base: number, file: string, bytes: Uint8Array, extra: Partial<ModelEntry>): ModelEntry {
  const origin = extra.origin ?? "untrained";
  return {
    backbone: `resnet${depth}`,
    file,
    depth,
    baseWidth: base,
    featureLength: featureLength(depth, base),
    origin,
    label: ORIGIN_LABELS[origin],
    sha256: sha256(bytes),
    bytes: bytes.length,
    input: { name: INPUT_NAME, shape: [1, 1, "D", "H", "W"], dtype: "float32" },
    outputs: { features: FEATURES_OUTPUT, map: MAP_OUTPUT },
    ...extra,
  };
}

export function buildUntrained(depth: Depth, seed = DEFAULT_SEED): Uint8Array {
  return buildEncoderOnnx(depth, seededStateDict(depth, seed), {
    base: MEDICALNET_BASE_WIDTH,
    metadata: { origin: "untrained", label: ORIGIN_LABELS.untrained, seed: String(seed) },
  });
}

export interface InitResult {
  backbone: Backbone;
  action: "written" | "kept";
  entry: ModelEntry;
}

/**
 * Builds the four untrained encoders (same seed -> same bytes). Existing files whose sha256 matches their manifest
 * entry are kept, so imported MedicalNet weights survive a restart; `force` rebuilds every untrained one.
 */
export function initModels(
  dir = defaultModelsDir(),
  opts: { seed?: number; force?: boolean; depths?: Depth[] } = {},
): InitResult[] {
  const seed = opts.seed ?? DEFAULT_SEED;
  const manifest = readManifest(dir);
  const results: InitResult[] = [];
  for (const depth of opts.depths ?? DEPTHS) {
    const backbone = `resnet${depth}` as Backbone;
    const existing = manifest.models[backbone];
    const file = existing?.file ?? `${backbone}.onnx`;
    const full = path.join(dir, file);
    const intact = existing && existsSync(full) && sha256(readFileSync(full)) === existing.sha256;
    const keepImported = intact && existing.origin === "medicalnet";
    const keepUntrained = intact && existing.origin === "untrained" && existing.seed === seed && !opts.force;
    if (keepImported || keepUntrained) {
      results.push({ backbone, action: "kept", entry: existing });
      continue;
    }
    const bytes = buildUntrained(depth, seed);
    atomicWrite(path.join(dir, `${backbone}.onnx`), bytes);
    const entry = entryFor(depth, MEDICALNET_BASE_WIDTH, `${backbone}.onnx`, bytes, { origin: "untrained", seed });
    manifest.models[backbone] = entry;
    results.push({ backbone, action: "written", entry });
  }
  writeManifest(dir, manifest);
  return results;
}

export interface ImportResult {
  entry: ModelEntry;
  out: string;
  ignoredKeys: string[];
}

/** Converts a MedicalNet checkpoint to ONNX at `out` and registers it in the manifest next to it. */
export function importMedicalNet(checkpoint: string, depth: Depth, out: string): ImportResult {
  if (!existsSync(checkpoint)) throw new NacError("NOT_FOUND", `checkpoint ${checkpoint} not found`);
  const raw = new Uint8Array(readFileSync(checkpoint));
  const format = raw[0] === 0x50 && raw[1] === 0x4b ? "zip" : "legacy";
  const weights = medicalNetStateDict(readTorchFile(raw), depth);
  const ckSha = sha256(raw);
  const bytes = buildEncoderOnnx(depth, weights.stateDict, {
    base: weights.base,
    metadata: {
      origin: "medicalnet",
      label: ORIGIN_LABELS.medicalnet,
      checkpoint: path.basename(checkpoint),
      checkpoint_sha256: ckSha,
    },
  });
  atomicWrite(out, bytes);
  const dir = path.dirname(path.resolve(out));
  const manifest = readManifest(dir);
  const entry = entryFor(depth, weights.base, path.basename(out), bytes, {
    origin: "medicalnet",
    checkpoint: { file: path.basename(checkpoint), sha256: ckSha, format },
  });
  manifest.models[`resnet${depth}`] = entry;
  writeManifest(dir, manifest);
  return { entry, out, ignoredKeys: weights.ignoredKeys };
}

/** Registered encoders whose file is absent from `dir` (a worker machine that was never given its `models/`). */
export function missingEncoderFiles(dir = defaultModelsDir()): string[] {
  const manifest = readManifest(dir);
  return BACKBONES.filter((b) => {
    const entry = manifest.models[b];
    return !entry || !existsSync(path.join(dir, entry.file));
  });
}

/** Reads a registered encoder, verifying its size and sha256 against the manifest. */
export function loadModelBytes(backbone: Backbone, dir = defaultModelsDir()): { bytes: Uint8Array; entry: ModelEntry } {
  if (!BACKBONES.includes(backbone)) throw new NacError("SETTINGS_INVALID", `unknown backbone ${backbone}`);
  const entry = modelEntry(readManifest(dir), backbone);
  const file = path.join(dir, entry.file);
  if (!existsSync(file)) throw new NacError("NOT_FOUND", `${file} is missing: run \`npm run nac -- models init\``);
  const bytes = new Uint8Array(readFileSync(file));
  if (bytes.length !== entry.bytes || sha256(bytes) !== entry.sha256) {
    throw new NacError("MODEL_INVALID", `${file} does not match its manifest sha256: rebuild or re-import it`);
  }
  return { bytes, entry };
}
