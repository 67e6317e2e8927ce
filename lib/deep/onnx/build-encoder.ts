/**
 * Builds a MedicalNet encoder as an ONNX graph from a (validated, prefix-free) state_dict: BatchNorm folded into each
 * convolution's weights and bias, input [1,1,D,H,W] with dynamic D/H/W, outputs:
 *   "features" [1, C]          layer4 globally average-pooled (C = 512, 2048 for ResNet50, at base width 64)
 *   "layer4"   [1, C, d, h, w] the layer4 map itself (for masked pooling)
 */
import { allConvBns, BN_EPS, encoderSpec, type ConvBn, type Depth } from "../architecture";
import type { StateDict } from "../state-dict";
import { encodeModel, type OnnxInitializer, type OnnxNode } from "./model";

export const INPUT_NAME = "image";
export const FEATURES_OUTPUT = "features";
export const MAP_OUTPUT = "layer4";

export interface BuildOptions {
  base: number;
  /** Written into the model's metadata_props (origin label, checkpoint hash, ...). */
  metadata?: Record<string, string>;
  producerVersion?: string;
}

/** w' = w * g / sqrt(var + eps), b' = beta - mean * g / sqrt(var + eps); computed in float64, stored as float32. */
export function foldBatchNorm(c: ConvBn, sd: StateDict): { weight: Float32Array; bias: Float32Array } {
  const get = (k: string) => {
    const t = sd.get(k);
    if (!t) throw new Error(`missing ${k} (state_dict must be validated before building)`);
    return t.data;
  };
  const w = get(`${c.conv}.weight`);
  const gamma = get(`${c.bn}.weight`);
  const beta = get(`${c.bn}.bias`);
  const mean = get(`${c.bn}.running_mean`);
  const variance = get(`${c.bn}.running_var`);
  const per = w.length / c.outC;
  const weight = new Float32Array(w.length);
  const bias = new Float32Array(c.outC);
  for (let o = 0; o < c.outC; o++) {
    const scale = gamma[o] / Math.sqrt(variance[o] + BN_EPS);
    for (let i = o * per, end = i + per; i < end; i++) weight[i] = w[i] * scale;
    bias[o] = beta[o] - mean[o] * scale;
  }
  return { weight, bias };
}

export function buildEncoderGraph(depth: Depth, sd: StateDict, base: number) {
  const spec = encoderSpec(depth, base);
  const nodes: OnnxNode[] = [];
  const initializers: OnnxInitializer[] = [];
  const folded = new Map<string, { weight: Float32Array; bias: Float32Array }>();
  for (const c of allConvBns(spec)) folded.set(c.conv, foldBatchNorm(c, sd));

  const conv = (c: ConvBn, input: string, out: string): string => {
    const f = folded.get(c.conv)!;
    const k = c.kernel;
    initializers.push({ name: `${c.conv}.w`, dims: [c.outC, c.inC, k, k, k], data: f.weight });
    initializers.push({ name: `${c.conv}.b`, dims: [c.outC], data: f.bias });
    nodes.push({
      op: "Conv",
      name: c.conv,
      inputs: [input, `${c.conv}.w`, `${c.conv}.b`],
      outputs: [out],
      attrs: {
        kernel_shape: [k, k, k],
        strides: [c.stride, c.stride, c.stride],
        dilations: [c.dilation, c.dilation, c.dilation],
        pads: [c.pad, c.pad, c.pad, c.pad, c.pad, c.pad],
        group: 1,
      },
    });
    return out;
  };
  const relu = (input: string, out: string): string => {
    nodes.push({ op: "Relu", name: out, inputs: [input], outputs: [out] });
    return out;
  };
  const int64 = (name: string, values: number[]) => {
    initializers.push({ name, dims: [values.length], data: BigInt64Array.from(values.map((v) => BigInt(v))) });
    return name;
  };

  let x = relu(conv(spec.stem, INPUT_NAME, "stem.conv"), "stem.relu");
  nodes.push({
    op: "MaxPool",
    name: "maxpool",
    inputs: [x],
    outputs: ["maxpool"],
    // PyTorch pads max-pool with -inf; ONNX MaxPool ignores padded positions the same way.
    attrs: { kernel_shape: [3, 3, 3], strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] },
  });
  x = "maxpool";

  for (const b of spec.blocks) {
    let y = x;
    b.convs.forEach((c, i) => {
      y = conv(c, y, `${c.conv}.out`);
      if (i < b.convs.length - 1) y = relu(y, `${c.conv}.relu`);
    });
    let shortcut = x;
    if (b.shortcut?.type === "B") {
      shortcut = conv(b.shortcut.proj, x, `${b.name}.downsample.out`);
    } else if (b.shortcut?.type === "A") {
      // MedicalNet: avg_pool3d(kernel 1, stride s) == take every s-th voxel, then append zero channels.
      const s = b.shortcut.stride;
      if (s > 1) {
        const BIG = Number.MAX_SAFE_INTEGER; // "to the end" for Slice
        nodes.push({
          op: "Slice",
          name: `${b.name}.shortcut.slice`,
          inputs: [
            x,
            int64(`${b.name}.sc.starts`, [0, 0, 0]),
            int64(`${b.name}.sc.ends`, [BIG, BIG, BIG]),
            int64(`${b.name}.sc.axes`, [2, 3, 4]),
            int64(`${b.name}.sc.steps`, [s, s, s]),
          ],
          outputs: [`${b.name}.shortcut.sliced`],
        });
        shortcut = `${b.name}.shortcut.sliced`;
      }
      nodes.push({
        op: "Pad",
        name: `${b.name}.shortcut.pad`,
        inputs: [shortcut, int64(`${b.name}.sc.pads`, [0, 0, 0, 0, 0, 0, b.shortcut.addChannels, 0, 0, 0])],
        outputs: [`${b.name}.shortcut.out`],
      });
      shortcut = `${b.name}.shortcut.out`;
    }
    nodes.push({ op: "Add", name: `${b.name}.add`, inputs: [y, shortcut], outputs: [`${b.name}.sum`] });
    x = relu(`${b.name}.sum`, b === spec.blocks[spec.blocks.length - 1] ? MAP_OUTPUT : `${b.name}.out`);
  }

  nodes.push({ op: "GlobalAveragePool", name: "gap", inputs: [MAP_OUTPUT], outputs: ["gap"] });
  nodes.push({ op: "Flatten", name: "flatten", inputs: ["gap"], outputs: [FEATURES_OUTPUT], attrs: { axis: 1 } });

  return {
    name: `medicalnet_resnet${depth}_encoder`,
    nodes,
    initializers,
    inputs: [{ name: INPUT_NAME, shape: [1, 1, "D", "H", "W"] }],
    outputs: [
      { name: FEATURES_OUTPUT, shape: [1, spec.outC] },
      { name: MAP_OUTPUT, shape: [1, spec.outC, "d", "h", "w"] },
    ],
  };
}

export function buildEncoderOnnx(depth: Depth, sd: StateDict, opts: BuildOptions): Uint8Array {
  const graph = buildEncoderGraph(depth, sd, opts.base);
  return encodeModel(graph, {
    producerName: "nacpredict-lib-deep",
    producerVersion: opts.producerVersion ?? "1",
    docString: `MedicalNet ResNet${depth} encoder (BatchNorm folded), base width ${opts.base}`,
    metadata: { depth: String(depth), base_width: String(opts.base), ...opts.metadata },
  });
}
