/**
 * The runtime-neutral contract for running an encoder: onnxruntime-node on the server (runtime-node.ts),
 * onnxruntime-web in the browser or Node (runtime-web.ts). Preprocessing and pooling are shared code on top of this.
 */
import { NacError } from "../errors";
import { FEATURES_OUTPUT, INPUT_NAME, MAP_OUTPUT } from "./onnx/build-encoder";
export type RuntimeName = "onnxruntime-node" | "onnxruntime-web";

export interface EncoderOutput {
  /** layer4 globally average-pooled */
  features: Float32Array;
  /** layer4 map [C, d, h, w] when requested (masked pooling) */
  map?: { data: Float32Array; dims: [number, number, number, number] };
}

export interface EncoderSession {
  readonly runtime: RuntimeName;
  /** input: one channel, C-order [D,H,W] (= Volume layout with D = slices, W = columns) */
  run(input: Float32Array, dims: [number, number, number], opts?: { map?: boolean }): Promise<EncoderOutput>;
  release(): Promise<void>;
}

/** The part of an onnxruntime (node or web) InferenceSession the encoders use; both packages satisfy it. */
export interface OrtLikeSession {
  run(
    feeds: Record<string, unknown>,
    fetches: string[],
  ): Promise<Record<string, { data: unknown; dims: readonly number[]; dispose?: () => void }>>;
  release(): Promise<void>;
}

/**
 * One run/release implementation for both runtimes: feed the [1,1,D,H,W] tensor, fetch the pooled features (and the
 * layer4 map when asked), copy them out, and free the output tensors.
 */
export function wrapOrtSession(
  runtime: RuntimeName,
  session: OrtLikeSession,
  names: { input: string; features: string; map: string },
  makeTensor: (data: Float32Array, dims: number[]) => unknown,
): EncoderSession {
  return {
    runtime,
    async run(input, dims, runOpts) {
      const fetches = runOpts?.map ? [names.features, names.map] : [names.features];
      const res = await session.run({ [names.input]: makeTensor(input, [1, 1, ...dims]) }, fetches);
      const out: EncoderOutput = { features: new Float32Array(res[names.features].data as Float32Array) };
      if (runOpts?.map) {
        const m = res[names.map];
        out.map = {
          data: new Float32Array(m.data as Float32Array),
          dims: m.dims.slice(1) as [number, number, number, number],
        };
      }
      for (const t of Object.values(res)) t.dispose?.();
      return out;
    },
    release: () => session.release(),
  };
}

/**
 * Both runtimes' session opening: `create` is the package's InferenceSession.create with its options; a model it
 * cannot load is MODEL_INVALID; the session is wrapped with the encoder's input and output names.
 */
export async function openOrtEncoder(
  runtime: RuntimeName,
  create: () => Promise<OrtLikeSession>,
  makeTensor: (data: Float32Array, dims: number[]) => unknown,
): Promise<EncoderSession> {
  let session: OrtLikeSession;
  try {
    session = await create();
  } catch (e) {
    throw new NacError(
      "MODEL_INVALID",
      `cannot load ONNX encoder: ${e instanceof Error ? e.message : String(e)}`,
      undefined,
      { cause: e },
    );
  }
  return wrapOrtSession(
    runtime,
    session,
    { input: INPUT_NAME, features: FEATURES_OUTPUT, map: MAP_OUTPUT },
    makeTensor,
  );
}
