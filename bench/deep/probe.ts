/**
 * bench/deep/probe: small, separately runnable measurements behind the web-vs-node gap (issue #6).
 *
 *   npx tsx bench/deep/probe.ts conv  --rt node|web --cin 512 --cout 512 --k 3 --dil 4 --size 8 [--threads 2] [--runs 5]
 *   npx tsx bench/deep/probe.ts gemm  --rt node|web --m 512 --k 13824 --n 512 [--threads 2]
 *   npx tsx bench/deep/probe.ts model --rt node|web --depth 34 [--size 64] [--variant default] [--profile]
 *
 * Prints one JSON line: wall and CPU time (process.cpuUsage: all threads, incl. wasm workers) per run, medians, and
 * the achieved GMAC per CPU-second. One runtime per process, so the two never share a thread pool or a heap.
 */
import os from "node:os";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { parseDepth } from "../../lib/deep/architecture";
import { seededStateDict } from "../../lib/deep/init-weights";
import { mulberry32 } from "../../lib/random/prng";
import { buildEncoderGraph, type GraphVariant } from "../../lib/deep/onnx/build-encoder";
import { encodeModel, type OnnxGraph } from "../../lib/deep/onnx/model";
import { args, opt } from "./args";

const mode = args[0];
const rt = opt("rt", "node");
const threads = Number(opt("threads", "2"));
const runs = Number(opt("runs", "5"));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function randArray(n: number, seed: number, scale = 1) {
  const r = mulberry32(seed).next;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (r() - 0.5) * scale;
  return a;
}

interface Sess {
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown }>>;
  tensor(data: Float32Array, dims: number[]): unknown;
  end(): Promise<void>;
}

async function open(model: Uint8Array, profile: boolean): Promise<Sess> {
  if (rt === "node") {
    const ort = await import("onnxruntime-node");
    const s = await ort.InferenceSession.create(model, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: args.includes("--parallel") ? "parallel" : "sequential",
      graphOptimizationLevel: (opt("opt", "all") as "all") ?? "all",
      enableProfiling: profile,
      ...(args.includes("--nospin") ? { extra: { session: { intra_op: { allow_spinning: "0" } } } } : {}),
      profileFilePrefix: "/tmp/nac-probe-node",
    });
    return {
      run: (f) => s.run(f as never) as never,
      tensor: (d, dims) => new ort.Tensor("float32", d, dims),
      end: async () => {
        if (profile) {
          await s.endProfiling(); // writes <prefix>_<timestamp>.json
          for (const f of readdirSync("/tmp").filter((n) => n.startsWith("nac-probe-node_"))) {
            summarise(JSON.parse(readFileSync(`/tmp/${f}`, "utf8")));
            rmSync(`/tmp/${f}`);
          }
        }
        await s.release();
      },
    };
  }
  const ort = await import("onnxruntime-web");
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.simd = true;
  if (args.includes("--proxy")) ort.env.wasm.proxy = true;
  const s = await ort.InferenceSession.create(model, {
    executionProviders: ["wasm"],
    graphOptimizationLevel: (opt("opt", "all") as "all") ?? "all",
    executionMode: args.includes("--parallel") ? "parallel" : "sequential",
    enableProfiling: profile,
    // onnxruntime-web passes these as given (undefined -> off); onnxruntime-node defaults both to on
    enableCpuMemArena: args.includes("--arena"),
    enableMemPattern: args.includes("--arena"),
    ...(args.includes("--nospin") ? { extra: { session: { intra_op: { allow_spinning: "0" } } } } : {}),
  });
  return {
    run: (f) => s.run(f as never) as never,
    tensor: (d, dims) => new ort.Tensor("float32", d, dims),
    end: async () => {
      if (profile) s.endProfiling();
      await s.release();
    },
  };
}

/** CPU time per OS thread of this process (Linux /proc, 10 ms ticks): shows whether a second pool thread really works. */
function threadTicks(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const f = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const rest = f.slice(f.lastIndexOf(")") + 2).split(" "); // fields from 3 (state) on
      out.set(tid, Number(rest[11]) + Number(rest[12])); // utime (14) + stime (15)
    } catch {
      // thread ended
    }
  }
  return out;
}

/** Node-runtime profile: total kernel time per op type and the top nodes. */
function summarise(events: Array<{ cat: string; name: string; dur: number; args?: { op_name?: string } }>) {
  const byOp = new Map<string, number>();
  const byNode = new Map<string, number>();
  for (const e of events) {
    if (e.cat !== "Node" || !e.name.endsWith("_kernel_time")) continue;
    const op = e.args?.op_name ?? "?";
    byOp.set(op, (byOp.get(op) ?? 0) + e.dur);
    const n = e.name.replace(/_kernel_time$/, "");
    byNode.set(n, (byNode.get(n) ?? 0) + e.dur);
  }
  const top = (m: Map<string, number>, k: number) =>
    Object.fromEntries(
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, k)
        .map(([n, us]) => [n, Math.round(us / 1000)]),
    );
  console.log(JSON.stringify({ profileMsTotalOverRuns: { byOp: top(byOp, 20), topNodes: top(byNode, 12) } }));
}

async function measure(model: Uint8Array, feeds: (s: Sess) => Record<string, unknown>, macs: number, extra: object) {
  const profile = args.includes("--profile");
  const t0 = performance.now();
  const s = await open(model, profile);
  const createMs = Math.round(performance.now() - t0);
  const f = feeds(s);
  const first = await s.run(f);
  const wall: number[] = [];
  const cpu: number[] = [];
  const ticks0 = threadTicks();
  for (let r = 0; r < runs; r++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await s.run(f);
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  const ticks1 = threadTicks();
  const perThreadCpuMs = [...ticks1]
    .map(([tid, t]) => ((t - (ticks0.get(tid) ?? 0)) * 10) / runs)
    .filter((ms) => ms >= 10)
    .sort((a, b) => b - a)
    .map(Math.round);
  await s.end();
  const out = Object.values(first)[0].data as Float32Array;
  let sum = 0;
  for (const v of out) sum += v;
  console.log(
    JSON.stringify({
      mode,
      rt,
      threads,
      ...extra,
      createMs,
      wallMs: Math.round(median(wall)),
      cpuMs: Math.round(median(cpu)),
      perThreadCpuMs,
      gmacPerCpuS: macs ? +(macs / 1e9 / (median(cpu) / 1000)).toFixed(2) : undefined,
      gmacPerWallS: macs ? +(macs / 1e9 / (median(wall) / 1000)).toFixed(2) : undefined,
      checksum: sum,
      load: os.loadavg().map((v) => +v.toFixed(2)),
      wallAll: wall.map(Math.round),
    }),
  );
}

function convGraph(): { g: OnnxGraph; macs: number; inDims: number[] } {
  const cin = Number(opt("cin", "512"));
  const cout = Number(opt("cout", "512"));
  const k = Number(opt("k", "3"));
  const dil = Number(opt("dil", "1"));
  const stride = Number(opt("stride", "1"));
  const size = Number(opt("size", "8"));
  const pad = Number(opt("pad", String((dil * (k - 1)) / 2)));
  const out = Math.floor((size + 2 * pad - dil * (k - 1) - 1) / stride) + 1;
  const g: OnnxGraph = {
    name: "conv",
    nodes: [
      {
        op: "Conv",
        inputs: ["x", "w", "b"],
        outputs: ["y"],
        attrs: {
          kernel_shape: [k, k, k],
          strides: [stride, stride, stride],
          dilations: [dil, dil, dil],
          pads: Array(6).fill(pad),
          group: 1,
        },
      },
    ],
    initializers: [
      { name: "w", dims: [cout, cin, k, k, k], data: randArray(cout * cin * k ** 3, 1, 0.05) },
      { name: "b", dims: [cout], data: randArray(cout, 2) },
    ],
    inputs: [{ name: "x", shape: [1, cin, size, size, size] }],
    outputs: [{ name: "y", shape: [1, cout, out, out, out] }],
  };
  return { g, macs: cout * cin * k ** 3 * out ** 3, inDims: [1, cin, size, size, size] };
}

async function main() {
  const meta = { producerName: "probe", producerVersion: "1" };
  if (mode === "conv") {
    const { g, macs, inDims } = convGraph();
    const x = randArray(
      inDims.reduce((a, b) => a * b, 1),
      3,
    );
    await measure(encodeModel(g, meta), (s) => ({ x: s.tensor(x, inDims) }), macs, {
      shape: {
        cin: inDims[1],
        size: inDims[2],
        cout: g.initializers[0].dims[0],
        k: opt("k", "3"),
        dil: opt("dil", "1"),
        stride: opt("stride", "1"),
      },
    });
  } else if (mode === "gemm") {
    const m = Number(opt("m", "512"));
    const k = Number(opt("k", "13824"));
    const n = Number(opt("n", "512"));
    const g: OnnxGraph = {
      name: "gemm",
      nodes: [{ op: "MatMul", inputs: ["a", "b"], outputs: ["y"] }],
      initializers: [{ name: "a", dims: [m, k], data: randArray(m * k, 1, 0.05) }],
      inputs: [{ name: "b", shape: [k, n] }],
      outputs: [{ name: "y", shape: [m, n] }],
    };
    const b = randArray(k * n, 3);
    await measure(encodeModel(g, meta), (s) => ({ b: s.tensor(b, [k, n]) }), m * n * k, { shape: { m, k, n } });
  } else if (mode === "model") {
    const depth = parseDepth(opt("depth", "34"));
    const size = Number(opt("size", "64"));
    const base = Number(opt("base", "64"));
    const variant = opt("variant", "tapsum");
    const sd = seededStateDict(depth, 1, base);
    const g = buildEncoderGraph(depth, sd, base, variant as GraphVariant);
    const cut = opt("cut", "");
    if (cut) {
      // keep the graph up to the node that produces `cut` and make that the only output (time by difference)
      const i = g.nodes.findIndex((n) => n.outputs.includes(cut));
      if (i < 0) throw new Error(`no node produces ${cut}`);
      g.nodes = g.nodes.slice(0, i + 1);
      g.outputs = [{ name: cut, shape: ["a", "b", "c", "d", "e"] }];
      const used = new Set(g.nodes.flatMap((n) => n.inputs));
      g.initializers = g.initializers.filter((t) => used.has(t.name));
    }
    const x = randArray(size ** 3, 42);
    await measure(encodeModel(g, meta), (s) => ({ image: s.tensor(x, [1, 1, size, size, size]) }), 0, {
      depth,
      size,
      variant,
      cut,
      arena: args.includes("--arena"),
      nospin: args.includes("--nospin"),
    });
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
