/**
 * Builds a MedicalNet encoder as an ONNX graph from a (validated, prefix-free) state_dict: BatchNorm folded into each
 * convolution's weights and bias, input [1,1,D,H,W] with dynamic D/H/W, outputs:
 *   "features" [1, C]          layer4 globally average-pooled (C = 512, 2048 for ResNet50, at base width 64)
 *   "layer4"   [1, C, d, h, w] the layer4 map itself (for masked pooling)
 */
import { allConvBns, BN_EPS, encoderSpec, type ConvBn, type Depth } from "../architecture";
import type { StateDict } from "../state-dict";
import { encodeModel, type OnnxInitializer, type OnnxNode, type OnnxValueInfo } from "./model";

export const INPUT_NAME = "image";
export const FEATURES_OUTPUT = "features";
export const MAP_OUTPUT = "layer4";

/**
 * "conv": one Conv node per convolution (the reference form).
 * "tapsum" (default): every block whose convolutions all have stride 1 (all but the stem and layer2.0) runs
 * channels-last [1, D, H, W, C]; a 1x1x1 conv is a MatMul, a 3x3x3 conv (dilation d, padding d) is the sum of its 27
 * taps, each a MatMul over only the voxels that tap reads inside the map, padded back into place. ORT's Conv (MLAS,
 * both runtimes) builds a full im2col buffer and multiplies the zero padding too: at 64^3 the layer3/4 maps are 8^3,
 * where dilation 2 / 4 puts 42% / 70% of the taps in the padding. Measured (docs/BENCHMARKS.md ## deep) about 2x less
 * CPU per ResNet34 inference on onnxruntime-node and 2.4x less on onnxruntime-web; same weights, features equal
 * within float rounding (summation order).
 */
export type GraphVariant = "conv" | "tapsum";
export const DEFAULT_VARIANT: GraphVariant = "tapsum";

export interface BuildOptions {
  base: number;
  variant?: GraphVariant;
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

export function buildEncoderGraph(depth: Depth, sd: StateDict, base: number, variant: GraphVariant = DEFAULT_VARIANT) {
  const spec = encoderSpec(depth, base);
  const nodes: OnnxNode[] = [];
  const initializers: OnnxInitializer[] = [];
  const folded = new Map<string, { weight: Float32Array; bias: Float32Array }>();
  for (const c of allConvBns(spec)) folded.set(c.conv, foldBatchNorm(c, sd));
  const BIG = Number.MAX_SAFE_INTEGER; // "to the end" for Slice
  // Symbolic shapes of the channels-last values. Without them ORT cannot match buffers for reuse by shape and its
  // sequential memory planner goes quadratic in the thousands of tap values (ResNet34: 6-13 s session creation).
  const valueInfo: OnnxValueInfo[] = [];
  let spatial: string[] = []; // symbolic [D, H, W] of the current channels-last map
  const vi = (name: string, channels: number, dims = spatial) =>
    valueInfo.push({ name, shape: [1, ...dims, channels] });

  const int64 = (name: string, values: number[]) => {
    initializers.push({ name, dims: [values.length], data: BigInt64Array.from(values.map((v) => BigInt(v))) });
    return name;
  };
  const relu = (input: string, out: string, channels?: number): string => {
    nodes.push({ op: "Relu", name: out, inputs: [input], outputs: [out] });
    if (channels) vi(out, channels);
    return out;
  };

  /** NCDHW Conv node (the reference form). */
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

  // ---- "tapsum" variant: stride-1 blocks in channels-last [1, D, H, W, C] ----
  // A 1x1x1 conv is a MatMul with the [Cin, Cout] weight (ORT prepacks constant MatMul weights); a 3x3x3 conv is the
  // sum over its 27 taps of MatMuls over the input voxels that tap reads, padded back into place. MatMul (unlike
  // Conv) accepts an empty slice, which happens when a map axis is not longer than the dilation (small inputs).
  const padAmounts = new Map<number, string>();
  /** per axis min(S, d): the zeros that put a shifted tap's output back into an S-long axis (S <= d: all of it). */
  const padFor = (input: string, d: number): string => {
    let m = padAmounts.get(d);
    if (!m) {
      m = `tap.d${d}.m`;
      nodes.push({
        op: "Shape",
        name: `tap.d${d}.shape`,
        inputs: [input],
        outputs: [`tap.d${d}.shape`],
        attrs: { start: 1, end: 4 },
      });
      nodes.push({ op: "Min", name: m, inputs: [`tap.d${d}.shape`, int64(`tap.d${d}.d`, [d, d, d])], outputs: [m] });
      padAmounts.set(d, m);
    }
    return m;
  };
  const tapPads = new Map<string, string>();
  // starts/ends/axes shared by every conv with the same dilation (thousands of tiny initialisers slow session creation)
  const sliceArgs = (d: number, tag: string, t: number[]): [string, string, string] => {
    const st = `tap.d${d}.${tag}.st`;
    if (!initializers.some((i) => i.name === st)) {
      int64(
        st,
        t.map((v) => (v > 0 ? d : 0)),
      );
      int64(
        `tap.d${d}.${tag}.en`,
        t.map((v) => (v < 0 ? -d : BIG)),
      );
    }
    if (!initializers.some((i) => i.name === "tap.axes")) int64("tap.axes", [1, 2, 3]);
    return [st, `tap.d${d}.${tag}.en`, "tap.axes"];
  };
  /** weight [Cout, Cin, k, k, k] tap (i) -> MatMul operand [Cin, Cout] */
  const tapWeight = (c: ConvBn, w: Float32Array, tap: number, name: string): string => {
    const taps = c.kernel ** 3;
    const t = new Float32Array(c.inC * c.outC);
    for (let o = 0; o < c.outC; o++)
      for (let i = 0; i < c.inC; i++) t[i * c.outC + o] = w[(o * c.inC + i) * taps + tap];
    initializers.push({ name, dims: [c.inC, c.outC], data: t });
    return name;
  };
  const biasInit = (c: ConvBn, data: Float32Array): string => {
    initializers.push({ name: `${c.conv}.b`, dims: [c.outC], data });
    return `${c.conv}.b`;
  };
  const convLast = (c: ConvBn, input: string, out: string): string => {
    const f = folded.get(c.conv)!;
    if (c.stride !== 1 || !((c.kernel === 1 && c.pad === 0) || (c.kernel === 3 && c.pad === c.dilation))) {
      throw new Error(`tapsum variant: unsupported conv ${c.conv}`);
    }
    if (c.kernel === 1) {
      nodes.push({
        op: "MatMul",
        name: `${c.conv}.mm`,
        inputs: [input, tapWeight(c, f.weight, 0, `${c.conv}.w`)],
        outputs: [`${c.conv}.mm`],
      });
      nodes.push({ op: "Add", name: out, inputs: [`${c.conv}.mm`, biasInit(c, f.bias)], outputs: [out] });
      vi(`${c.conv}.mm`, c.outC);
      vi(out, c.outC);
      return out;
    }
    const d = c.dilation;
    const m = padFor(input, d);
    const terms: string[] = [];
    for (let tz = -1; tz <= 1; tz++)
      for (let ty = -1; ty <= 1; ty++)
        for (let tx = -1; tx <= 1; tx++) {
          const t = [tz, ty, tx];
          const tag = t.map((v) => (v < 0 ? "m" : v > 0 ? "p" : "0")).join("");
          const name = `${c.conv}.tap${tag}`;
          const w = tapWeight(c, f.weight, (tz + 1) * 9 + (ty + 1) * 3 + (tx + 1), `${name}.w`);
          if (tz === 0 && ty === 0 && tx === 0) {
            nodes.push({ op: "MatMul", name, inputs: [input, w], outputs: [name] });
            vi(name, c.outC);
            terms.push(name);
            continue;
          }
          // output p reads input p + t*d: t = +1 uses input [d, S) -> output [0, S-d); t = -1 uses [0, S-d) -> [d, S)
          nodes.push({
            op: "Slice",
            name: `${name}.in`,
            inputs: [input, ...sliceArgs(d, tag, t)],
            outputs: [`${name}.in`],
          });
          nodes.push({ op: "MatMul", name, inputs: [`${name}.in`, w], outputs: [name] });
          // a shifted axis keeps max(0, S - d) voxels
          const sliced = spatial.map((sym, a) => (t[a] === 0 ? sym : `${sym}_minus${d}`));
          vi(`${name}.in`, c.inC, sliced);
          vi(name, c.outC, sliced);
          const key = `d${d}.${tag}`;
          let pads = tapPads.get(key);
          if (!pads) {
            // [0, begin(3), 0, 0, end(3), 0]: begin = m on axes where t = -1, end = m where t = +1
            pads = `tap.${key}.pads`;
            nodes.push({
              op: "Mul",
              name: `${pads}.b`,
              inputs: [
                m,
                int64(
                  `${pads}.bm`,
                  t.map((v) => (v < 0 ? 1 : 0)),
                ),
              ],
              outputs: [`${pads}.b`],
            });
            nodes.push({
              op: "Mul",
              name: `${pads}.e`,
              inputs: [
                m,
                int64(
                  `${pads}.em`,
                  t.map((v) => (v > 0 ? 1 : 0)),
                ),
              ],
              outputs: [`${pads}.e`],
            });
            const z1 = int64(`${pads}.z`, [0]);
            nodes.push({
              op: "Concat",
              name: pads,
              inputs: [z1, `${pads}.b`, z1, z1, `${pads}.e`, z1],
              outputs: [pads],
              attrs: { axis: 0 },
            });
            tapPads.set(key, pads);
          }
          nodes.push({ op: "Pad", name: `${name}.pad`, inputs: [name, pads], outputs: [`${name}.placed`] });
          vi(`${name}.placed`, c.outC);
          terms.push(`${name}.placed`);
        }
    // Sum broadcasts the [Cout] bias over the channels-last map.
    nodes.push({ op: "Sum", name: out, inputs: [...terms, biasInit(c, f.bias)], outputs: [out] });
    vi(out, c.outC);
    return out;
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

  let channelsLast = false;
  let transposes = 0;
  const eligible = (c: ConvBn) =>
    c.stride === 1 && ((c.kernel === 1 && c.pad === 0) || (c.kernel === 3 && c.pad === c.dilation));
  const lastBlock = spec.blocks[spec.blocks.length - 1];
  for (const b of spec.blocks) {
    const wantLast =
      variant === "tapsum" &&
      b.convs.every(eligible) &&
      (b.shortcut?.type !== "B" || eligible(b.shortcut.proj)) &&
      (b.shortcut?.type !== "A" || b.shortcut.stride === 1);
    if (wantLast !== channelsLast) {
      const out = `transpose${transposes++}`;
      nodes.push({
        op: "Transpose",
        name: out,
        inputs: [x],
        outputs: [out],
        attrs: { perm: wantLast ? [0, 2, 3, 4, 1] : [0, 4, 1, 2, 3] },
      });
      x = out;
      channelsLast = wantLast;
      if (wantLast) {
        spatial = ["d", "h", "w"].map((a) => `${out}_${a}`);
        vi(out, b.inC);
      }
    }
    const cv = channelsLast ? convLast : conv;
    let y = x;
    b.convs.forEach((c, i) => {
      y = cv(c, y, `${c.conv}.out`);
      if (i < b.convs.length - 1) y = relu(y, `${c.conv}.relu`, channelsLast ? c.outC : undefined);
    });
    let shortcut = x;
    if (b.shortcut?.type === "B") {
      shortcut = cv(b.shortcut.proj, x, `${b.name}.downsample.out`);
    } else if (b.shortcut?.type === "A") {
      // MedicalNet: avg_pool3d(kernel 1, stride s) == take every s-th voxel, then append zero channels.
      const s = b.shortcut.stride;
      const spatial = channelsLast ? [1, 2, 3] : [2, 3, 4];
      if (s > 1) {
        nodes.push({
          op: "Slice",
          name: `${b.name}.shortcut.slice`,
          inputs: [
            x,
            int64(`${b.name}.sc.starts`, [0, 0, 0]),
            int64(`${b.name}.sc.ends`, [BIG, BIG, BIG]),
            int64(`${b.name}.sc.axes`, spatial),
            int64(`${b.name}.sc.steps`, [s, s, s]),
          ],
          outputs: [`${b.name}.shortcut.sliced`],
        });
        shortcut = `${b.name}.shortcut.sliced`;
      }
      const add = b.shortcut.addChannels;
      const pads = channelsLast ? [0, 0, 0, 0, 0, 0, 0, 0, 0, add] : [0, 0, 0, 0, 0, 0, add, 0, 0, 0];
      nodes.push({
        op: "Pad",
        name: `${b.name}.shortcut.pad`,
        inputs: [shortcut, int64(`${b.name}.sc.pads`, pads)],
        outputs: [`${b.name}.shortcut.out`],
      });
      if (channelsLast) vi(`${b.name}.shortcut.out`, b.outC);
      shortcut = `${b.name}.shortcut.out`;
    }
    nodes.push({ op: "Add", name: `${b.name}.add`, inputs: [y, shortcut], outputs: [`${b.name}.sum`] });
    if (channelsLast) vi(`${b.name}.sum`, b.outC);
    x = relu(
      `${b.name}.sum`,
      b === lastBlock && !channelsLast ? MAP_OUTPUT : `${b.name}.out`,
      channelsLast ? b.outC : undefined,
    );
  }

  if (channelsLast) {
    nodes.push({
      op: "Transpose",
      name: "to_channels_first",
      inputs: [x],
      outputs: [MAP_OUTPUT],
      attrs: { perm: [0, 4, 1, 2, 3] },
    });
    nodes.push({
      op: "ReduceMean",
      name: "gap",
      inputs: [x],
      outputs: [FEATURES_OUTPUT],
      attrs: { axes: [1, 2, 3], keepdims: 0 },
    });
  } else {
    nodes.push({ op: "GlobalAveragePool", name: "gap", inputs: [MAP_OUTPUT], outputs: ["gap"] });
    nodes.push({ op: "Flatten", name: "flatten", inputs: ["gap"], outputs: [FEATURES_OUTPUT], attrs: { axis: 1 } });
  }

  return {
    name: `medicalnet_resnet${depth}_encoder`,
    nodes,
    initializers,
    valueInfo,
    inputs: [{ name: INPUT_NAME, shape: [1, 1, "D", "H", "W"] }],
    outputs: [
      { name: FEATURES_OUTPUT, shape: [1, spec.outC] },
      { name: MAP_OUTPUT, shape: [1, spec.outC, "d", "h", "w"] },
    ],
  };
}

export function buildEncoderOnnx(depth: Depth, sd: StateDict, opts: BuildOptions): Uint8Array {
  const graph = buildEncoderGraph(depth, sd, opts.base, opts.variant);
  return encodeModel(graph, {
    producerName: "nacpredict-lib-deep",
    producerVersion: opts.producerVersion ?? "1",
    docString: `MedicalNet ResNet${depth} encoder (BatchNorm folded), base width ${opts.base}`,
    metadata: {
      depth: String(depth),
      base_width: String(opts.base),
      graph_variant: opts.variant ?? DEFAULT_VARIANT,
      ...opts.metadata,
    },
  });
}
