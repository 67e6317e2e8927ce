/**
 * Server runtime: onnxruntime-node (CPU). Node-only; the browser uses runtime-web.ts with the same contract.
 * Two intra-op threads by default: the app shares the machine with other work, and results stay bit-for-bit stable
 * for a given thread count.
 */
import * as ort from "onnxruntime-node";
import { NacError } from "../errors";
import { FEATURES_OUTPUT, INPUT_NAME, MAP_OUTPUT } from "./onnx/build-encoder";
import type { EncoderOutput, EncoderSession } from "./runtime";

export interface NodeSessionOptions {
  threads?: number;
}

export async function createNodeSession(model: Uint8Array | string, opts: NodeSessionOptions = {}): Promise<EncoderSession> {
  let session: ort.InferenceSession;
  const options: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: opts.threads ?? 2,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  };
  try {
    session =
      typeof model === "string" ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options);
  } catch (e) {
    throw new NacError("MODEL_INVALID", `cannot load ONNX encoder: ${e instanceof Error ? e.message : String(e)}`, undefined, { cause: e });
  }
  return {
    runtime: "onnxruntime-node",
    async run(input, dims, runOpts) {
      const tensor = new ort.Tensor("float32", input, [1, 1, ...dims]);
      const fetches = runOpts?.map ? [FEATURES_OUTPUT, MAP_OUTPUT] : [FEATURES_OUTPUT];
      const res = await session.run({ [INPUT_NAME]: tensor }, fetches);
      const out: EncoderOutput = { features: new Float32Array(res[FEATURES_OUTPUT].data as Float32Array) };
      if (runOpts?.map) {
        const m = res[MAP_OUTPUT];
        out.map = { data: new Float32Array(m.data as Float32Array), dims: m.dims.slice(1) as [number, number, number, number] };
      }
      for (const t of Object.values(res)) t.dispose?.();
      return out;
    },
    async release() {
      await session.release();
    },
  };
}
