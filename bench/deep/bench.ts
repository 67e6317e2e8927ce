/**
 * bench/deep: MedicalNet encoders at the default input size (64^3) on onnxruntime-node (2 intra-op threads) and
 * onnxruntime-web (wasm, in Node), next to PyTorch CPU (2 threads) on the same input, in the same run.
 * PyTorch also saves its full-width seeded model as a MedicalNet-style checkpoint; we import that with the TypeScript
 * importer, so the run doubles as a full-width parity check (max relative feature difference is reported).
 *
 *   npx tsx bench/deep/bench.ts [--depths 10,18,34,50] [--runs 5] [--size 64] [--no-web] [--variants tapsum,conv]
 * Each graph variant (lib/deep/onnx/build-encoder.ts: "tapsum" = the shipped default, "conv" = one Conv per layer)
 * is built from the same imported weights and timed on both runtimes.
 * Needs /usr/bin/python3 with torch (bench only). Writes bench/results/deep.json.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Depth } from "../../lib/deep/architecture";
import { medicalNetStateDict } from "../../lib/deep/checkpoint/medicalnet";
import { readTorchFile } from "../../lib/deep/checkpoint/torch-file";
import { mulberry32 } from "../../lib/random/prng";
import { buildEncoderOnnx, type GraphVariant } from "../../lib/deep/onnx/build-encoder";
import type { EncoderSession } from "../../lib/deep/runtime";
import { createNodeSession } from "../../lib/deep/runtime-node";
import { createWebSession } from "../../lib/deep/runtime-web";
import { args, depthsOpt, opt } from "./args";

const depths = depthsOpt();
const runs = Number(opt("runs", "5"));
const size = Number(opt("size", "64"));
const withWeb = !args.includes("--no-web");
const variants = opt("variants", "tapsum,conv").split(",") as GraphVariant[];
const THREADS = 2;
const here = path.dirname(new URL(import.meta.url).pathname);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function time(session: EncoderSession, x: Float32Array, dims: [number, number, number], n: number) {
  const first = await session.run(x, dims); // warm-up
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < n; r++) {
    const c = process.cpuUsage(); // all threads of this process (ORT pools, wasm workers)
    const t = performance.now();
    await session.run(x, dims);
    times.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  return { times, cpu, features: first.features };
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / m;
}

async function main() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "nac-bench-deep-"));
  const dims: [number, number, number] = [size, size, size];
  // a z-scored-looking input: smooth structure + noise inside a sphere, 0 outside (as preprocessing produces)
  const rand = mulberry32(42).next;
  const x = new Float32Array(size ** 3);
  for (let z = 0, p = 0; z < size; z++)
    for (let y = 0; y < size; y++)
      for (let xx = 0; xx < size; xx++, p++) {
        const r = Math.hypot(z - size / 2, y - size / 2, xx - size / 2) / (size / 2);
        x[p] = r < 0.9 ? Math.sin(xx / 5) * Math.cos(y / 7) + (rand() - 0.5) : 0;
      }
  const inputFile = path.join(tmp, "input.f32");
  writeFileSync(inputFile, new Uint8Array(x.buffer));

  const rows: Record<string, unknown>[] = [];
  for (const depth of depths as Depth[]) {
    const ckpt = path.join(tmp, `resnet${depth}.pth`);
    const format = depth === 18 || depth === 50 ? "legacy" : "zip";
    const py = JSON.parse(
      execFileSync(
        "/usr/bin/python3",
        [
          path.join(here, "pytorch_reference.py"),
          String(depth),
          inputFile,
          dims.join("x"),
          ckpt,
          String(runs),
          String(THREADS),
          format,
        ],
        {
          encoding: "utf8",
          maxBuffer: 64 << 20,
        },
      ),
    ) as { torch: string; threads: number; times_ms: number[]; cpu_ms: number[]; features: number[] };

    const w = medicalNetStateDict(readTorchFile(new Uint8Array(readFileSync(ckpt))), depth);
    rmSync(ckpt);
    for (const variant of variants) {
      const tImport = performance.now();
      const onnx = buildEncoderOnnx(depth, w.stateDict, { base: w.base, variant });
      const buildMs = performance.now() - tImport;

      let t0 = performance.now();
      const node = await createNodeSession(onnx, { threads: THREADS });
      const nodeCreateMs = performance.now() - t0;
      const n = await time(node, x, dims, runs);
      await node.release();
      let web: { times: number[]; cpu: number[]; features: Float32Array } | null = null;
      let webCreateMs = 0;
      if (withWeb) {
        t0 = performance.now();
        const s = await createWebSession(onnx, { threads: THREADS });
        webCreateMs = performance.now() - t0;
        web = await time(s, x, dims, Math.max(3, Math.min(runs, 3)));
        await s.release();
      }
      const row = {
        backbone: `resnet${depth}`,
        variant,
        checkpointFormat: format,
        buildMs: Math.round(buildMs),
        nodeCreateMs: Math.round(nodeCreateMs),
        webCreateMs: web ? Math.round(webCreateMs) : null,
        pytorchMs: Math.round(median(py.times_ms)),
        nodeMs: Math.round(median(n.times)),
        webMs: web ? Math.round(median(web.times)) : null,
        pytorchCpuMs: Math.round(median(py.cpu_ms)),
        nodeCpuMs: Math.round(median(n.cpu)),
        webCpuMs: web ? Math.round(median(web.cpu)) : null,
        nodeOverPytorch: +(median(n.times) / median(py.times_ms)).toFixed(2),
        webOverNode: web ? +(median(web.times) / median(n.times)).toFixed(2) : null,
        webOverNodeCpu: web ? +(median(web.cpu) / median(n.cpu)).toFixed(2) : null,
        relErrNodeVsPytorch: relErr(n.features, py.features),
        relErrWebVsNode: web ? relErr(web.features, n.features) : null,
        load: os.loadavg().map((v) => +v.toFixed(1)),
        torch: py.torch,
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  const out = {
    loadAverage: os.loadavg(),
    date: new Date().toISOString(),
    machine: { nproc: os.cpus().length, cpu: os.cpus()[0]?.model },
    size,
    runs,
    threads: THREADS,
    rows,
  };
  mkdirSync(path.join(here, "../results"), { recursive: true });
  writeFileSync(path.join(here, "../results/deep.json"), JSON.stringify(out, null, 2));
  console.log(`machine: ${out.machine.nproc} cpus, ${out.machine.cpu}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
