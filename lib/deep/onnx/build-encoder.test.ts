import { afterAll, describe, expect, it } from "vitest";
import { DEPTHS, encoderSpec, featureLength } from "../architecture";
import { medicalNetStateDict } from "../checkpoint/medicalnet";
import { readTorchFile } from "../checkpoint/torch-file";
import { checkpointBytes, fixtureInput, reference } from "../testdata/fixtures";
import { seededStateDict } from "../init-weights";
import type { EncoderSession } from "../runtime";
import { createNodeSession } from "../runtime-node";
import { createWebSession } from "../runtime-web";
import { buildEncoderGraph, buildEncoderOnnx } from "./build-encoder";

const ref = reference();
const inputs = Object.entries(ref.inputs);

/** max |a - b| relative to the largest reference magnitude (features are ReLU means: >= 0, some exactly 0). */
function relErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(got.length).toBe(want.length);
  let d = 0;
  let m = 0;
  for (let i = 0; i < want.length; i++) {
    d = Math.max(d, Math.abs(got[i] - want[i]));
    m = Math.max(m, Math.abs(want[i]));
  }
  expect(m).toBeGreaterThan(0);
  return d / m;
}

const sessions: EncoderSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

describe.each(DEPTHS)("MedicalNet ResNet%i imported from PyTorch", (depth) => {
  for (const format of ["zip", "legacy"] as const) {
    it(`${format} checkpoint -> ONNX (onnxruntime-node) reproduces PyTorch's features within 1e-4, incl. odd sizes`, async () => {
      const w = medicalNetStateDict(readTorchFile(checkpointBytes(depth, format)), depth);
      const s = await createNodeSession(buildEncoderOnnx(depth, w.stateDict, { base: w.base }));
      sessions.push(s);
      for (const [name, dims] of inputs) {
        const out = await s.run(fixtureInput(name), dims);
        expect(out.features.length).toBe(featureLength(depth, ref.base));
        const e = relErr(out.features, ref.features[depth][name]);
        expect(e, `${name}: rel err ${e}`).toBeLessThan(1e-4);
      }
    });
  }

  it("onnxruntime-web gives onnxruntime-node's features within 1e-4, and each is bit-for-bit repeatable", async () => {
    const w = medicalNetStateDict(readTorchFile(checkpointBytes(depth, "zip")), depth);
    const onnx = buildEncoderOnnx(depth, w.stateDict, { base: w.base });
    const node = await createNodeSession(onnx);
    const node2 = await createNodeSession(onnx);
    const web = await createWebSession(onnx);
    sessions.push(node, node2, web);
    for (const [name, dims] of inputs) {
      const x = fixtureInput(name);
      const a = await node.run(x, dims);
      const b = await web.run(x, dims);
      expect(relErr(b.features, a.features)).toBeLessThan(1e-4);
      const bits = (f: Float32Array) => Array.from(new Uint32Array(f.buffer, f.byteOffset, f.length));
      expect(bits((await node.run(x, dims)).features)).toEqual(bits(a.features));
      expect(bits((await node2.run(x, dims)).features)).toEqual(bits(a.features));
      expect(bits((await web.run(x, dims)).features)).toEqual(bits(b.features));
    }
  });
});

describe("graph variants (same weights)", () => {
  it("the tap-sum graph keeps Conv only where a stride is (stem, layer2.0) and matches the one-Conv-per-layer graph", async () => {
    for (const depth of DEPTHS) {
      const sd = medicalNetStateDict(readTorchFile(checkpointBytes(depth, "zip")), depth).stateDict;
      const convs = buildEncoderGraph(depth, sd, ref.base, "tapsum")
        .nodes.filter((n) => n.op === "Conv")
        .map((n) => n.name);
      const strided = encoderSpec(depth, ref.base).blocks.find((b) => b.name === "layer2.0")!;
      const want = [
        "conv1",
        ...strided.convs.map((c) => c.conv),
        ...(strided.shortcut?.type === "B" ? [strided.shortcut.proj.conv] : []),
      ];
      expect(convs.sort()).toEqual(want.sort());
      const conv = await createNodeSession(buildEncoderOnnx(depth, sd, { base: ref.base, variant: "conv" }));
      const tap = await createNodeSession(buildEncoderOnnx(depth, sd, { base: ref.base, variant: "tapsum" }));
      sessions.push(conv, tap);
      for (const [name, dims] of inputs) {
        const a = await conv.run(fixtureInput(name), dims, { map: true });
        const b = await tap.run(fixtureInput(name), dims, { map: true });
        expect(b.map!.dims).toEqual(a.map!.dims);
        expect(relErr(b.features, a.features), `resnet${depth} ${name}`).toBeLessThan(1e-5);
        expect(relErr(b.map!.data, a.map!.data), `resnet${depth} ${name} map`).toBeLessThan(1e-5);
      }
    }
  });
});

describe("seeded untrained encoders", () => {
  it("same seed -> same bytes; another seed -> different weights", () => {
    const a = buildEncoderOnnx(18, seededStateDict(18, 7, 4), { base: 4 });
    const b = buildEncoderOnnx(18, seededStateDict(18, 7, 4), { base: 4 });
    const c = buildEncoderOnnx(18, seededStateDict(18, 8, 4), { base: 4 });
    expect(a.length).toBe(b.length);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it("conv weights have the variance of kaiming_normal(fan_out)", () => {
    const sd = seededStateDict(34, 1, 16);
    const w = sd.get("layer3.1.conv2.weight")!;
    let ss = 0;
    for (const v of w.data) ss += v * v;
    const want = 2 / (64 * 27);
    expect(ss / w.data.length).toBeGreaterThan(want * 0.95);
    expect(ss / w.data.length).toBeLessThan(want * 1.05);
  });
});
