/**
 * Encoder session options for batch extraction (issue 13): CPU and wall time per inference of a registered encoder
 * (models/<backbone>.onnx) at the default 64^3 input with 1 or 2 intra-op threads, and with the input's free
 * dimensions (D, H, W) fixed at session creation; and whether the features are bit-for-bit those of the app's default
 * session (2 threads, free dimensions). One process, sessions one after the other.
 *
 *   NAC_MODELS_DIR=models npx tsx bench/deep/session-options.ts [--backbones resnet10,resnet34] [--runs 5]
 */
import * as ort from "onnxruntime-node";
import type { Backbone } from "../../lib/deep/architecture";
import { mulberry32 } from "../../lib/random/prng";
import { defaultModelsDir, loadModelBytes } from "../../lib/deep/node/model-store";
import { FEATURES_OUTPUT, INPUT_NAME } from "../../lib/deep/onnx/build-encoder";
import { loadavg } from "node:os";
import { opt } from "./args";

const backbones = opt("backbones", "resnet10,resnet18,resnet34,resnet50").split(",") as Backbone[];
const runs = Number(opt("runs", "5"));
const edge = Number(opt("size", "64"));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const input = (() => {
  const r = mulberry32(7).next;
  const a = new Float32Array(edge ** 3);
  for (let i = 0; i < a.length; i++) a[i] = r() * 2 - 1;
  return a;
})();

async function measure(bytes: Uint8Array, threads: number, fixed: boolean) {
  const options: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
    extra: { session: { intra_op: { allow_spinning: "0" } } },
    ...(fixed ? { freeDimensionOverrides: { D: edge, H: edge, W: edge } } : {}),
  };
  const c0 = performance.now();
  const s = await ort.InferenceSession.create(bytes, options);
  const createMs = performance.now() - c0;
  const wall: number[] = [];
  const cpu: number[] = [];
  let out: Float32Array | null = null;
  for (let i = 0; i <= runs; i++) {
    const u0 = process.cpuUsage();
    const t0 = performance.now();
    const res = await s.run({ [INPUT_NAME]: new ort.Tensor("float32", input, [1, 1, edge, edge, edge]) }, [
      FEATURES_OUTPUT,
    ]);
    const t = performance.now() - t0;
    const u = process.cpuUsage(u0);
    out = new Float32Array(res[FEATURES_OUTPUT].data as Float32Array);
    if (i > 0) {
      wall.push(t);
      cpu.push((u.user + u.system) / 1000);
    }
  }
  await s.release();
  return { createMs, wall: median(wall), cpu: median(cpu), out: out! };
}

async function main() {
  for (const b of backbones) {
    const { bytes } = loadModelBytes(b, defaultModelsDir());
    const base = await measure(bytes, 2, false);
    const rows = [
      ["2 threads (app default)", base],
      ["1 thread", await measure(bytes, 1, false)],
      ["2 threads, fixed dims", await measure(bytes, 2, true)],
      ["1 thread, fixed dims", await measure(bytes, 1, true)],
    ] as const;
    for (const [name, r] of rows) {
      const same = Buffer.from(r.out.buffer).equals(Buffer.from(base.out.buffer));
      let maxDiff = 0;
      for (let i = 0; i < r.out.length; i++) maxDiff = Math.max(maxDiff, Math.abs(r.out[i] - base.out[i]));
      process.stdout.write(
        `${b} ${name.padEnd(26)} create ${r.createMs.toFixed(0).padStart(5)} ms  wall ${r.wall.toFixed(0).padStart(5)} ms  cpu ${r.cpu.toFixed(0).padStart(5)} ms  identical ${same} (max diff ${maxDiff.toExponential(2)})  load ${loadavg()[0].toFixed(1)}\n`,
      );
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
