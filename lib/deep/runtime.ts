/**
 * The runtime-neutral contract for running an encoder: onnxruntime-node on the server (runtime-node.ts),
 * onnxruntime-web in the browser or Node (runtime-web.ts). Preprocessing and pooling are shared code on top of this.
 */
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
