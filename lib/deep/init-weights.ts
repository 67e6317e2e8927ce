/**
 * Deterministic seeded weights for the untrained demo encoders (`models init`): same seed -> same bytes on every
 * JavaScript engine, because only integer and float32/float64 arithmetic is used (no Math.log/cos, whose last bits
 * may differ between engines). Convolutions: uniform with the variance of MedicalNet's kaiming_normal(fan_out),
 * i.e. bound = sqrt(3) * sqrt(2 / (out_channels * k^3)); BatchNorm: weight 1, bias 0, running mean 0, variance 1.
 * These encoders are NOT trained: every output derived from them is labelled "untrained encoder: demo only".
 */
import { encoderSpec, allConvBns, MEDICALNET_BASE_WIDTH, type Depth } from "./architecture";
import type { StateDict } from "./state-dict";
import { mulberry32 } from "../random/prng";

export const DEFAULT_SEED = 20250101;

export function seededStateDict(depth: Depth, seed = DEFAULT_SEED, base = MEDICALNET_BASE_WIDTH): StateDict {
  const rand = mulberry32((seed ^ Math.imul(depth, 0x9e3779b1)) >>> 0).next;
  const sd: StateDict = new Map();
  for (const c of allConvBns(encoderSpec(depth, base))) {
    const k3 = c.kernel ** 3;
    const bound = Math.sqrt(3) * Math.sqrt(2 / (c.outC * k3));
    const w = new Float32Array(c.outC * c.inC * k3);
    for (let i = 0; i < w.length; i++) w[i] = (2 * rand() - 1) * bound;
    sd.set(`${c.conv}.weight`, { shape: [c.outC, c.inC, c.kernel, c.kernel, c.kernel], data: w });
    sd.set(`${c.bn}.weight`, { shape: [c.outC], data: new Float32Array(c.outC).fill(1) });
    sd.set(`${c.bn}.bias`, { shape: [c.outC], data: new Float32Array(c.outC) });
    sd.set(`${c.bn}.running_mean`, { shape: [c.outC], data: new Float32Array(c.outC) });
    sd.set(`${c.bn}.running_var`, { shape: [c.outC], data: new Float32Array(c.outC).fill(1) });
  }
  return sd;
}
