/**
 * MedicalNet (Med3D, Tencent/MedicalNet models/resnet.py) encoder architecture facts, as data.
 *
 * conv1 7^3 stride 2 pad 3 (no bias) + BN + ReLU; max-pool 3, stride 2, pad 1; layer1..4 with strides 1,2,1,1 and
 * dilations 1,1,2,4 applied to every block of a stage (the 3x3x3 conv carries dilation and padding = dilation; the
 * stride sits on the first block's 3x3x3 conv). Shortcut A (parameter-free: subsample by stride, append zero channels)
 * for ResNet18/34, B (1x1x1 conv with the stride + BN) for ResNet10/50. BatchNorm eps is PyTorch's 1e-5.
 * MONAI's ResNet differs (no dilation; stride 2 in layer3/4), so its checkpoints do not fit here.
 */
import { NacError } from "../errors";

export const DEPTHS = [10, 18, 34, 50] as const;
export type Depth = (typeof DEPTHS)[number];
export type Backbone = `resnet${Depth}`;
export const BACKBONES: Backbone[] = DEPTHS.map((d) => `resnet${d}` as Backbone);

/** MedicalNet's base width; a smaller base (e.g. 4) gives the same topology for small test fixtures. */
export const MEDICALNET_BASE_WIDTH = 64;
export const BN_EPS = 1e-5;

export interface ArchSpec {
  depth: Depth;
  block: "basic" | "bottleneck";
  blocks: [number, number, number, number];
  shortcut: "A" | "B";
  expansion: 1 | 4;
}

export const ARCH: Record<Depth, ArchSpec> = {
  10: { depth: 10, block: "basic", blocks: [1, 1, 1, 1], shortcut: "B", expansion: 1 },
  18: { depth: 18, block: "basic", blocks: [2, 2, 2, 2], shortcut: "A", expansion: 1 },
  34: { depth: 34, block: "basic", blocks: [3, 4, 6, 3], shortcut: "A", expansion: 1 },
  50: { depth: 50, block: "bottleneck", blocks: [3, 4, 6, 3], shortcut: "B", expansion: 4 },
};

export const STAGE_STRIDES = [1, 2, 1, 1] as const;
export const STAGE_DILATIONS = [1, 1, 2, 4] as const;

export function parseDepth(v: string | number): Depth {
  const n = typeof v === "number" ? v : Number(String(v).replace(/^resnet/i, ""));
  if (!(DEPTHS as readonly number[]).includes(n)) {
    throw new NacError("SETTINGS_INVALID", `unsupported ResNet depth "${v}": expected one of ${DEPTHS.join(", ")}`);
  }
  return n as Depth;
}

export function backboneDepth(b: string): Depth {
  return parseDepth(b);
}

/** Output feature length of the pooled layer4 map. */
export function featureLength(depth: Depth, base = MEDICALNET_BASE_WIDTH): number {
  return base * 8 * ARCH[depth].expansion;
}

/** A convolution followed by its BatchNorm, named by state_dict prefixes. */
export interface ConvBn {
  conv: string; // e.g. "layer1.0.conv1"
  bn: string; // e.g. "layer1.0.bn1"
  inC: number;
  outC: number;
  kernel: number;
  stride: number;
  dilation: number;
  pad: number;
}

export interface BlockSpec {
  name: string; // "layer2.0"
  convs: ConvBn[]; // main path in order; ReLU after each but the last, ReLU after the residual add
  inC: number;
  outC: number;
  stride: number;
  /** null = identity; "A" = subsample + zero channels; ConvBn = type-B projection. */
  shortcut: null | { type: "A"; stride: number; addChannels: number } | { type: "B"; proj: ConvBn };
}

export interface EncoderSpec {
  depth: Depth;
  base: number;
  stem: ConvBn;
  blocks: BlockSpec[];
  outC: number;
}

/** The full layer list, mirroring MedicalNet's _make_layer. */
export function encoderSpec(depth: Depth, base = MEDICALNET_BASE_WIDTH): EncoderSpec {
  if (!Number.isInteger(base) || base < 1) throw new NacError("SETTINGS_INVALID", `invalid base width ${base}`);
  const arch = ARCH[depth];
  const stem: ConvBn = { conv: "conv1", bn: "bn1", inC: 1, outC: base, kernel: 7, stride: 2, dilation: 1, pad: 3 };
  const blocks: BlockSpec[] = [];
  let inplanes = base;
  for (let s = 0; s < 4; s++) {
    const planes = base * 2 ** s;
    const outC = planes * arch.expansion;
    const dil = STAGE_DILATIONS[s];
    for (let b = 0; b < arch.blocks[s]; b++) {
      const name = `layer${s + 1}.${b}`;
      const stride = b === 0 ? STAGE_STRIDES[s] : 1;
      const inC = inplanes;
      const convs: ConvBn[] =
        arch.block === "basic"
          ? [
              {
                conv: `${name}.conv1`,
                bn: `${name}.bn1`,
                inC,
                outC: planes,
                kernel: 3,
                stride,
                dilation: dil,
                pad: dil,
              },
              {
                conv: `${name}.conv2`,
                bn: `${name}.bn2`,
                inC: planes,
                outC: planes,
                kernel: 3,
                stride: 1,
                dilation: dil,
                pad: dil,
              },
            ]
          : [
              {
                conv: `${name}.conv1`,
                bn: `${name}.bn1`,
                inC,
                outC: planes,
                kernel: 1,
                stride: 1,
                dilation: 1,
                pad: 0,
              },
              {
                conv: `${name}.conv2`,
                bn: `${name}.bn2`,
                inC: planes,
                outC: planes,
                kernel: 3,
                stride,
                dilation: dil,
                pad: dil,
              },
              {
                conv: `${name}.conv3`,
                bn: `${name}.bn3`,
                inC: planes,
                outC,
                kernel: 1,
                stride: 1,
                dilation: 1,
                pad: 0,
              },
            ];
      let shortcut: BlockSpec["shortcut"] = null;
      if (b === 0 && (stride !== 1 || inC !== outC)) {
        shortcut =
          arch.shortcut === "A"
            ? { type: "A", stride, addChannels: outC - inC }
            : {
                type: "B",
                proj: {
                  conv: `${name}.downsample.0`,
                  bn: `${name}.downsample.1`,
                  inC,
                  outC,
                  kernel: 1,
                  stride,
                  dilation: 1,
                  pad: 0,
                },
              };
      }
      blocks.push({ name, convs, inC, outC, stride, shortcut });
      inplanes = outC;
    }
  }
  return { depth, base, stem, blocks, outC: inplanes };
}

export function allConvBns(spec: EncoderSpec): ConvBn[] {
  const out = [spec.stem];
  for (const b of spec.blocks) {
    out.push(...b.convs);
    if (b.shortcut?.type === "B") out.push(b.shortcut.proj);
  }
  return out;
}

/**
 * The state_dict keys and shapes the encoder needs (no `module.` prefix, no num_batches_tracked, no conv_seg head),
 * in PyTorch's registration order.
 */
export function expectedStateDict(depth: Depth, base = MEDICALNET_BASE_WIDTH): Array<[string, number[]]> {
  const spec = encoderSpec(depth, base);
  const out: Array<[string, number[]]> = [];
  const add = (c: ConvBn) => {
    out.push([`${c.conv}.weight`, [c.outC, c.inC, c.kernel, c.kernel, c.kernel]]);
    for (const p of ["weight", "bias", "running_mean", "running_var"]) out.push([`${c.bn}.${p}`, [c.outC]]);
  };
  add(spec.stem);
  for (const b of spec.blocks) {
    for (const c of b.convs) add(c);
    if (b.shortcut?.type === "B") add(b.shortcut.proj);
  }
  return out;
}
