/**
 * The encoder model registry (models/manifest.json) as data, browser-safe: which encoder file backs each backbone,
 * where its weights came from, and the label every UI, model card and prediction must show with its features.
 */
import { z } from "zod";
import { NacError } from "../errors";
import type { Backbone } from "./architecture";
import { DEFAULT_PREPROCESS } from "./preprocess";

export type ModelOrigin = "untrained" | "medicalnet";

export const ORIGIN_LABELS: Record<ModelOrigin, string> = {
  untrained: "untrained encoder: demo only",
  medicalnet: "MedicalNet import",
};

const entrySchema = z.object({
  backbone: z.enum(["resnet10", "resnet18", "resnet34", "resnet50"]),
  file: z.string().min(1),
  depth: z.union([z.literal(10), z.literal(18), z.literal(34), z.literal(50)]),
  baseWidth: z.number().int().positive(),
  featureLength: z.number().int().positive(),
  origin: z.enum(["untrained", "medicalnet"]),
  label: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
  input: z.object({ name: z.string(), shape: z.array(z.union([z.number(), z.string()])), dtype: z.literal("float32") }),
  outputs: z.object({ features: z.string(), map: z.string() }),
  seed: z.number().int().optional(),
  checkpoint: z.object({ file: z.string(), sha256: z.string(), format: z.enum(["zip", "legacy"]) }).optional(),
});

export const manifestSchema = z.object({
  schema: z.literal(1),
  note: z.string().optional(),
  preprocessDefaults: z.object({
    inputSize: z.tuple([z.number(), z.number(), z.number()]),
    cropMarginMm: z.number(),
    interpolation: z.enum(["linear", "nearest"]),
    normalization: z.literal("zscore-region"),
  }),
  models: z.record(z.string(), entrySchema),
});

export type ModelEntry = z.infer<typeof entrySchema>;
export type ModelManifest = z.infer<typeof manifestSchema>;

export function emptyManifest(): ModelManifest {
  return {
    schema: 1,
    note: "Encoder registry written by `npm run nac -- models init` / `models import-medicalnet`. The .onnx files are not committed.",
    preprocessDefaults: { ...DEFAULT_PREPROCESS, inputSize: [...DEFAULT_PREPROCESS.inputSize] },
    models: {},
  };
}

export function parseManifest(json: unknown): ModelManifest {
  const r = manifestSchema.safeParse(json);
  if (!r.success)
    throw new NacError(
      "MODEL_INVALID",
      `models/manifest.json is invalid: ${r.error.issues[0]?.path.join(".")}: ${r.error.issues[0]?.message}`,
    );
  return r.data;
}

export function modelEntry(m: ModelManifest, backbone: Backbone): ModelEntry {
  const e = m.models[backbone];
  if (!e) throw new NacError("NOT_FOUND", `no encoder registered for ${backbone}: run \`npm run nac -- models init\``);
  return e;
}

/** The label to show next to anything computed with this encoder. */
export function modelLabel(e: Pick<ModelEntry, "origin" | "label">): string {
  return e.label || ORIGIN_LABELS[e.origin];
}

/** Browser-safe integrity check (WebCrypto): the encoder bytes must match their manifest entry. */
export async function verifyModelBytes(
  bytes: Uint8Array,
  entry: Pick<ModelEntry, "sha256" | "bytes" | "file">,
): Promise<void> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  if (bytes.length !== entry.bytes || hex !== entry.sha256) {
    throw new NacError("MODEL_INVALID", `${entry.file} does not match its manifest sha256`);
  }
}
