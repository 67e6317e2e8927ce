/**
 * bench/deep/browser: the encoders on onnxruntime-web inside headless Chromium (system /usr/bin/chromium via
 * Playwright), cross-origin isolated so wasm threads are available, next to onnxruntime-node on the same model and
 * input in the same run. Also checks browser features == node features within 1e-4.
 *
 *   npx tsx bench/deep/browser.ts [--depths 10,34] [--runs 3] [--size 64] [--threads 2] [--variants tapsum,conv] [--proxy]
 * Session options as lib/deep/runtime-web.ts and runtime-node.ts (arena + memory pattern, no pool spinning).
 */
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import type { Depth } from "../../lib/deep/architecture";
import { mulberry32 } from "../../lib/random/prng";
import { seededStateDict } from "../../lib/deep/init-weights";
import { buildEncoderOnnx, type GraphVariant } from "../../lib/deep/onnx/build-encoder";
import { createNodeSession } from "../../lib/deep/runtime-node";
import { args, depthsOpt, opt } from "./args";

const depths = depthsOpt();
const runs = Number(opt("runs", "3"));
const size = Number(opt("size", "64"));
const threads = Number(opt("threads", "2"));
// --proxy: onnxruntime-web runs the session in its own Web Worker (env.wasm.proxy), off the page's main thread
const proxy = args.includes("--proxy");
const variants = opt("variants", "tapsum,conv").split(",") as GraphVariant[];
const here = path.dirname(new URL(import.meta.url).pathname);
const ortDist = path.resolve(here, "../../node_modules/onnxruntime-web/dist");

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const rand = mulberry32(42).next;
  const x = new Float32Array(size ** 3).map(() => rand() - 0.5);
  let model: Uint8Array = new Uint8Array();
  const server = createServer((req, res) => {
    // COOP + COEP make the page cross-origin isolated: SharedArrayBuffer, hence wasm threads
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Cross-Origin-Embedder-Policy", "require-corp");
    const url = req.url ?? "/";
    if (url === "/model.onnx") return res.end(model);
    if (url === "/input.f32") return res.end(new Uint8Array(x.buffer));
    if (url.startsWith("/ort/")) {
      const f = path.join(ortDist, path.basename(url));
      res.setHeader("Content-Type", f.endsWith(".wasm") ? "application/wasm" : "text/javascript");
      try {
        return res.end(readFileSync(f));
      } catch {
        res.statusCode = 404;
        return res.end();
      }
    }
    res.setHeader("Content-Type", "text/html");
    res.end("<!doctype html><title>bench</title>");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox"],
  });
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  const rows = [];
  for (const depth of depths as Depth[]) {
    for (const variant of variants) {
      model = buildEncoderOnnx(depth, seededStateDict(depth), { base: 64, variant });
      const node = await createNodeSession(model, { threads });
      const ref = await node.run(x, [size, size, size]);
      const nodeTimes: number[] = [];
      for (let r = 0; r < runs; r++) {
        const t = performance.now();
        await node.run(x, [size, size, size]);
        nodeTimes.push(performance.now() - t);
      }
      await node.release();
      const res = await page.evaluate(
        async ({ size, runs, threads, proxy }) => {
          const ortUrl = "/ort/ort.wasm.min.mjs";
          const ort = await import(ortUrl);
          ort.env.wasm.wasmPaths = "/ort/";
          ort.env.wasm.numThreads = threads;
          ort.env.wasm.proxy = proxy;
          const bytes = new Uint8Array(await (await fetch("/model.onnx")).arrayBuffer());
          const input = new Float32Array(await (await fetch("/input.f32")).arrayBuffer());
          const t0 = performance.now();
          const s = await ort.InferenceSession.create(bytes, {
            executionProviders: ["wasm"],
            graphOptimizationLevel: "all",
            enableCpuMemArena: true,
            enableMemPattern: true,
            extra: { session: { intra_op: { allow_spinning: "0" } } },
          });
          const createMs = performance.now() - t0;
          // a fresh copy per run: in proxy mode the input's buffer is transferred to the worker (detached). No named
          // helper function here: the bundler would wrap it in a helper the page does not have.
          const first = await s.run({ image: new ort.Tensor("float32", input.slice(), [1, 1, size, size, size]) }, [
            "features",
          ]);
          const times = [];
          for (let r = 0; r < runs; r++) {
            const x = new ort.Tensor("float32", input.slice(), [1, 1, size, size, size]);
            const t0 = performance.now();
            await s.run({ image: x }, ["features"]);
            times.push(performance.now() - t0);
          }
          await s.release();
          return {
            isolated: crossOriginIsolated,
            numThreads: ort.env.wasm.numThreads,
            hardwareConcurrency: navigator.hardwareConcurrency,
            createMs,
            times,
            features: Array.from(first.features.data as Float32Array),
          };
        },
        { size, runs, threads, proxy },
      );
      let d = 0;
      let m = 0;
      for (let i = 0; i < ref.features.length; i++) {
        d = Math.max(d, Math.abs(res.features[i] - ref.features[i]));
        m = Math.max(m, Math.abs(ref.features[i]));
      }
      const row = {
        backbone: `resnet${depth}`,
        variant,
        proxy,
        crossOriginIsolated: res.isolated,
        wasmThreads: res.numThreads,
        hardwareConcurrency: res.hardwareConcurrency,
        chromiumCreateMs: Math.round(res.createMs),
        nodeMs: Math.round(median(nodeTimes)),
        chromiumMs: Math.round(median(res.times)),
        chromiumOverNode: +(median(res.times) / median(nodeTimes)).toFixed(2),
        relErrChromiumVsNode: d / m,
        load: os.loadavg().map((v) => +v.toFixed(1)),
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
  await browser.close();
  server.close();
  console.log(
    `machine: ${os.cpus().length} cpus, ${os.cpus()[0]?.model}, load ${os
      .loadavg()
      .map((v) => v.toFixed(1))
      .join(" ")}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
