/**
 * Browser runtime: onnxruntime-web (WebAssembly, SIMD; threads when the page is cross-origin isolated).
 * Also runs in Node (tests, benchmarks). `wasmPaths` tells it where the .wasm files are served from
 * (e.g. "/ort/" when the app copies node_modules/onnxruntime-web/dist/*.wasm to public/ort/).
 */
import * as ort from "onnxruntime-web";
import { NacError } from "../errors";
import { verifyModelBytes, type ModelEntry } from "./models";
import { openOrtEncoder, type EncoderSession } from "./runtime";

export interface WebSessionOptions {
  /** number of wasm threads; needs SharedArrayBuffer (cross-origin isolation) in browsers. Default 2. */
  threads?: number;
  wasmPaths?: string;
}

export async function createWebSession(model: Uint8Array, opts: WebSessionOptions = {}): Promise<EncoderSession> {
  // env is global to onnxruntime-web and read when the wasm module first loads.
  const threads = opts.threads ?? 2;
  const isolated = typeof globalThis.crossOriginIsolated === "boolean" ? globalThis.crossOriginIsolated : true;
  ort.env.wasm.numThreads = isolated ? threads : 1;
  ort.env.wasm.simd = true;
  if (opts.wasmPaths) ort.env.wasm.wasmPaths = opts.wasmPaths;
  return openOrtEncoder(
    "onnxruntime-web",
    () =>
      ort.InferenceSession.create(model, {
        executionProviders: ["wasm"],
        graphOptimizationLevel: "all",
        executionMode: "sequential",
        // onnxruntime-web turns both off unless asked (onnxruntime-node has them on): ~10% less CPU per inference
        enableCpuMemArena: true,
        enableMemPattern: true,
        // as runtime-node.ts: idle wasm pool threads sleep instead of spinning
        extra: { session: { intra_op: { allow_spinning: "0" } } },
      }),
    (data, dims) => new ort.Tensor("float32", data, dims),
  );
}

/**
 * Browser convenience: fetch a registered encoder, check it against its manifest entry (sha256 via WebCrypto),
 * and open a session.
 */
export async function loadWebEncoder(
  url: string,
  entry: Pick<ModelEntry, "sha256" | "bytes" | "file">,
  opts: WebSessionOptions = {},
): Promise<EncoderSession> {
  const res = await fetch(url);
  if (!res.ok) throw new NacError("NOT_FOUND", `cannot fetch encoder ${url}: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  await verifyModelBytes(bytes, entry);
  return createWebSession(bytes, opts);
}
