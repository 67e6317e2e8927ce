import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeVolume, type Mask, type Vec3 } from "../imaging/volume";
import { medicalNetStateDict } from "./checkpoint/medicalnet";
import { readTorchFile } from "./checkpoint/torch-file";
import { extractDeepFeatures } from "./extract";
import { checkpointBytes } from "./testdata/fixtures";
import { buildEncoderOnnx } from "./onnx/build-encoder";
import { preprocessRegion } from "./preprocess";
import { regionMask } from "./regions";
import type { EncoderSession } from "./runtime";
import { createNodeSession } from "./runtime-node";
import { createWebSession } from "./runtime-web";
import { mulberry32 } from "../random/prng";

const dims: Vec3 = [40, 36, 20];
const spacing: Vec3 = [0.8, 0.8, 2];
const n = dims[0] * dims[1] * dims[2];
const idx = (i: number, j: number, k: number) => i + dims[0] * (j + dims[1] * k);

function phantom() {
  const rand = mulberry32(5).next;
  const img = new Float32Array(n);
  const m = new Uint8Array(n);
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++)
      for (let i = 0; i < dims[0]; i++) {
        const r = ((i - 18) * 0.8) ** 2 / 64 + ((j - 17) * 0.8) ** 2 / 49 + ((k - 9) * 2) ** 2 / 100;
        img[idx(i, j, k)] = 100 + 50 * Math.sin(i / 3) * Math.cos(j / 4) + 20 * rand() + (r < 1 ? 80 : 0);
        m[idx(i, j, k)] = r < 1 ? 1 : 0;
      }
  return { image: makeVolume(img, { dims, spacing }), mask: makeVolume(m, { dims, spacing }) as Mask };
}

const preprocess = { inputSize: [32, 32, 32] as [number, number, number] };
let node: EncoderSession;
let web: EncoderSession;

beforeAll(async () => {
  const w = medicalNetStateDict(readTorchFile(checkpointBytes(18, "zip")), 18);
  const onnx = buildEncoderOnnx(18, w.stateDict, { base: w.base });
  node = await createNodeSession(onnx);
  web = await createWebSession(onnx);
});
afterAll(async () => {
  await node.release();
  await web.release();
});

describe("extractDeepFeatures", () => {
  it("intra: equals preprocessing + encoder run by hand; unaffected by voxels not adjacent to the region", async () => {
    const { image, mask } = phantom();
    const r = await extractDeepFeatures(image, mask, {
      region: "intra",
      backbone: "resnet18",
      session: node,
      preprocess,
    });
    expect(r.features.length).toBe(32);
    expect(r.marginMm).toBeNull();
    const prep = preprocessRegion(image, regionMask(mask, "intra", 5), preprocess);
    expect(r.features).toEqual(Array.from((await node.run(prep.input, prep.dims)).features));

    // scramble every voxel with no region voxel in its 3x3x3 neighbourhood: interpolation never reaches them
    const junk = new Float32Array(image.data);
    const rand = mulberry32(9).next;
    for (let k = 0; k < dims[2]; k++)
      for (let j = 0; j < dims[1]; j++)
        for (let i = 0; i < dims[0]; i++) {
          let near = false;
          for (let c = -1; c <= 1 && !near; c++)
            for (let b = -1; b <= 1 && !near; b++)
              for (let a = -1; a <= 1 && !near; a++) {
                const [x, y, z] = [i + a, j + b, k + c];
                if (x >= 0 && y >= 0 && z >= 0 && x < dims[0] && y < dims[1] && z < dims[2] && mask.data[idx(x, y, z)])
                  near = true;
              }
          if (!near) junk[idx(i, j, k)] = 1e4 * rand();
        }
    const r2 = await extractDeepFeatures({ ...image, data: junk }, mask, {
      region: "intra",
      backbone: "resnet18",
      session: node,
      preprocess,
    });
    expect(r2.features).toEqual(r.features);
  });

  it("peri and masked pooling give different, finite vectors; onnxruntime-web agrees with -node within 1e-4", async () => {
    const { image, mask } = phantom();
    const results = [];
    for (const region of ["intra", "peri"] as const) {
      for (const pooling of ["global", "masked"] as const) {
        const a = await extractDeepFeatures(image, mask, {
          region,
          marginMm: 4,
          backbone: "resnet18",
          session: node,
          preprocess,
          pooling,
        });
        const b = await extractDeepFeatures(image, mask, {
          region,
          marginMm: 4,
          backbone: "resnet18",
          session: web,
          preprocess,
          pooling,
        });
        const scale = Math.max(...a.features.map(Math.abs));
        expect(scale).toBeGreaterThan(0);
        const err = Math.max(...a.features.map((v, i) => Math.abs(v - b.features[i]))) / scale;
        expect(err).toBeLessThan(1e-4);
        expect(a.runtime).toBe("onnxruntime-node");
        expect(b.runtime).toBe("onnxruntime-web");
        results.push(a.features);
      }
    }
    for (let i = 0; i < results.length; i++)
      for (let j = i + 1; j < results.length; j++) expect(results[i]).not.toEqual(results[j]);
  });
});
