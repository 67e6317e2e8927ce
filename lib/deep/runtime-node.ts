/**
 * Server runtime: onnxruntime-node (CPU). Node-only; the browser uses runtime-web.ts with the same contract.
 * Two intra-op threads by default: the app shares the machine with other work, and results stay bit-for-bit stable
 * for a given thread count.
 */
import * as ort from "onnxruntime-node";
import { openOrtEncoder, type EncoderSession } from "./runtime";

export interface NodeSessionOptions {
  threads?: number;
}

export async function createNodeSession(
  model: Uint8Array | string,
  opts: NodeSessionOptions = {},
): Promise<EncoderSession> {
  const options: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: opts.threads ?? 2,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
    // Idle pool threads sleep instead of spinning: on a shared machine spinning burnt ~2x the CPU and doubled the wall
    // time of a ResNet34 inference (docs/BENCHMARKS.md ## deep).
    extra: { session: { intra_op: { allow_spinning: "0" } } },
  };
  return openOrtEncoder(
    "onnxruntime-node",
    // two calls because the overloads (path vs bytes) do not accept the union
    () =>
      typeof model === "string"
        ? ort.InferenceSession.create(model, options)
        : ort.InferenceSession.create(model, options),
    (data, dims) => new ort.Tensor("float32", data, dims),
  );
}
