/**
 * Server entry point: registered encoder -> onnxruntime-node session, cached per backbone and models directory so the
 * 57-253 MB files are read, hashed and loaded once per process.
 */
import path from "node:path";
import type { Backbone } from "../architecture";
import type { ModelEntry } from "../models";
import type { EncoderSession } from "../runtime";
import { createNodeSession } from "../runtime-node";
import { defaultModelsDir, loadModelBytes } from "./model-store";

export interface OpenEncoder {
  session: EncoderSession;
  entry: ModelEntry;
}

const cache = new Map<string, Promise<OpenEncoder>>();

export function openEncoder(backbone: Backbone, opts: { dir?: string; threads?: number } = {}): Promise<OpenEncoder> {
  const dir = path.resolve(opts.dir ?? defaultModelsDir());
  const key = `${dir}\0${backbone}\0${opts.threads ?? 2}`;
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const { bytes, entry } = loadModelBytes(backbone, dir);
      return { session: await createNodeSession(bytes, { threads: opts.threads }), entry };
    })();
    cache.set(key, p);
    p.catch(() => cache.delete(key)); // a failed load (e.g. missing file) is retried next time
  }
  return p;
}

/** Releases every cached session (after `models import-medicalnet` replaced a file, or at shutdown). */
export async function closeEncoders(): Promise<void> {
  const all = [...cache.values()];
  cache.clear();
  for (const p of all) {
    try {
      await (await p).session.release();
    } catch {
      // a load that failed has nothing to release
    }
  }
}
