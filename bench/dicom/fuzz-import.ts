#!/usr/bin/env tsx
/**
 * Mutation fuzz of the import route: seeded mutations of real DICOM files of every transfer syntax, each
 * POSTed to /api/import of a production server as a signed-in radiologist. Pass: no 5xx, no request over the per-case
 * timeout (a hang), the server still healthy at the end. Not part of `npm test` (minutes, and it needs a build).
 *
 *   npx next build --webpack && npm run bench -- fuzz-import
 *
 * Environment: CASES (2000), SEED (15), CASE_TIMEOUT_MS (30000), MAX_SECONDS (1500: stop starting new cases after
 * it, reported), BASE (an already running server; otherwise one is started with `scripts/start.ts` on FUZZ_PORT, 3205,
 * with a fresh data directory under /tmp, and stopped at the end), NAC_USER / NAC_PASSWORD (radiologist demo account).
 * Writes bench/results/fuzz-import.json; a failing case's bytes go to bench/results/fuzz-import-failures/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import JSZip from "jszip";
import { mulberry32 } from "../../lib/random/prng";

const CASES = Number(process.env.CASES ?? 2000);
const SEED = Number(process.env.SEED ?? 15);
const CASE_TIMEOUT_MS = Number(process.env.CASE_TIMEOUT_MS ?? 30_000);
const MAX_SECONDS = Number(process.env.MAX_SECONDS ?? 1500);
const PORT = Number(process.env.FUZZ_PORT ?? 3205);
const RESULTS = path.resolve("bench/results");

// ---- seeded randomness --------------------------------------------------------------------------------------------
type Rng = () => number;
const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)];

// ---- corpus: small real files of every transfer syntax ------------------------------------------------------------
function listDicom(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) return listDicom(p);
    return /\.(json|txt|md|py)$/i.test(n) || statSync(p).size > 400_000 ? [] : [p];
  });
}
const CORPUS_DIRS = [
  "lib/testdata/pydicom",
  "lib/testdata/pydicom_charset",
  "lib/testdata/codec_series",
  "lib/imaging/dicom/testdata",
  "lib/testdata/highdicom",
];
const corpus = [
  ...CORPUS_DIRS.flatMap((d) => listDicom(path.resolve(d))),
  path.resolve("lib/testdata/breast_mri_ucsf_br_06/image_dce_pe1/1-30.dcm"),
]
  .filter((p) => {
    const b = readFileSync(p);
    return (b.length > 132 && b.toString("latin1", 128, 132) === "DICM") || /NoMeta|rtstruct|no_meta/.test(p);
  })
  .sort()
  .map((p) => ({ name: path.relative(process.cwd(), p), bytes: new Uint8Array(readFileSync(p)) }));

// ---- mutations ----------------------------------------------------------------------------------------------------
const INTERESTING_16 = [0, 1, 2, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff];
const INTERESTING_32 = [0, 1, 0xff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x40000000];
/** Image Pixel module and meta tags whose values steer decoding (little-endian tag bytes). */
const STEERING_TAGS = [
  [0x0028, 0x0010],
  [0x0028, 0x0011],
  [0x0028, 0x0100],
  [0x0028, 0x0101],
  [0x0028, 0x0102],
  [0x0028, 0x0103],
  [0x0028, 0x0002],
  [0x0028, 0x0006],
  [0x0028, 0x0008],
  [0x0028, 0x0004],
  [0x0002, 0x0010],
  [0x0008, 0x0005],
  [0x7fe0, 0x0010],
  [0x0020, 0x000e],
  [0x0008, 0x0018],
  [0x0020, 0x0032],
] as const;

function findTag(b: Uint8Array, group: number, element: number): number[] {
  const hits: number[] = [];
  for (let i = 0; i + 4 <= b.length; i++) {
    if (
      b[i] === (group & 0xff) &&
      b[i + 1] === group >> 8 &&
      b[i + 2] === (element & 0xff) &&
      b[i + 3] === element >> 8
    )
      hits.push(i);
  }
  return hits;
}

function write16(b: Uint8Array, o: number, v: number) {
  if (o + 2 <= b.length) new DataView(b.buffer, b.byteOffset).setUint16(o, v, true);
}
function write32(b: Uint8Array, o: number, v: number) {
  if (o + 4 <= b.length) new DataView(b.buffer, b.byteOffset).setUint32(o, v >>> 0, true);
}
function insert(b: Uint8Array, at: number, extra: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length + extra.length);
  out.set(b.subarray(0, at), 0);
  out.set(extra, at);
  out.set(b.subarray(at), at + extra.length);
  return out;
}

type Mutator = (rng: Rng, b: Uint8Array, other: Uint8Array) => Uint8Array;
const MUTATORS: Record<string, Mutator> = {
  bitflips: (rng, b) => {
    for (let n = 1 + int(rng, 16); n > 0; n--) b[int(rng, b.length)] ^= 1 << int(rng, 8);
    return b;
  },
  random_bytes: (rng, b) => {
    for (let n = 1 + int(rng, 8); n > 0; n--) b[int(rng, b.length)] = int(rng, 256);
    return b;
  },
  truncate: (rng, b) => b.slice(0, int(rng, b.length)),
  // Sequence Delimitation, Item (undefined length) and Item Delimitation tags dropped anywhere.
  delimiter_inserted: (rng, b) =>
    insert(
      b,
      int(rng, b.length),
      Uint8Array.from(
        pick(rng, [
          [0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0],
          [0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff],
          [0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0],
        ]),
      ),
    ),
  interesting_int: (rng, b) => {
    const o = int(rng, b.length);
    if (rng() < 0.5) write16(b, o, pick(rng, INTERESTING_16));
    else write32(b, o, pick(rng, INTERESTING_32));
    return b;
  },
  steering_value: (rng, b) => {
    const [g, e] = pick(rng, STEERING_TAGS);
    const hits = findTag(b, g, e);
    if (!hits.length) return MUTATORS.interesting_int(rng, b, b);
    const at = pick(rng, hits);
    // Explicit VR: tag(4) VR(2) len(2) for short VRs; value at +8. Overwrite the value (or the length field).
    const where = pick(rng, [at + 8, at + 8, at + 6, at + 4]);
    if (rng() < 0.5) write16(b, where, pick(rng, INTERESTING_16));
    else write32(b, where, pick(rng, INTERESTING_32));
    return b;
  },
  length_field: (rng, b) => {
    const [g, e] = pick(rng, STEERING_TAGS);
    const hits = findTag(b, g, e);
    const at = hits.length ? pick(rng, hits) : int(rng, b.length);
    write32(b, at + (rng() < 0.5 ? 4 : 8), pick(rng, INTERESTING_32));
    return b;
  },
  chunk_duplicated: (rng, b) => {
    const from = int(rng, b.length);
    const len = Math.min(b.length - from, 1 + int(rng, 4096));
    return insert(b, int(rng, b.length), b.slice(from, from + len));
  },
  zero_region: (rng, b) => {
    const from = int(rng, b.length);
    b.fill(0, from, Math.min(b.length, from + 1 + int(rng, 512)));
    return b;
  },
  splice: (rng, b, other) => {
    const cut = int(rng, b.length);
    const out = new Uint8Array(cut + other.length - Math.min(cut, other.length));
    out.set(b.subarray(0, cut), 0);
    out.set(other.subarray(Math.min(cut, other.length)), cut);
    return out;
  },
};
const MUTATOR_NAMES = Object.keys(MUTATORS);

interface Case {
  index: number;
  seedFile: string;
  mutations: string[];
  zipped: boolean;
  bytes: Uint8Array<ArrayBuffer>;
}

function makeCase(index: number): Case {
  const rng = mulberry32(SEED * 1_000_003 + index).next;
  const seed = pick(rng, corpus);
  const other = pick(rng, corpus).bytes;
  let b: Uint8Array = seed.bytes.slice();
  const mutations: string[] = [];
  for (let n = rng() < 0.7 ? 1 : 2 + int(rng, 2); n > 0; n--) {
    const m = pick(rng, MUTATOR_NAMES);
    mutations.push(m);
    b = MUTATORS[m](rng, b.length ? b : Uint8Array.of(0), other);
  }
  return { index, seedFile: seed.name, mutations, zipped: rng() < 0.05, bytes: new Uint8Array(b) };
}

// ---- server, session ----------------------------------------------------------------------------------------------
function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number) => {
    for (const t of existsSync(`/proc/${p}/task`) ? readdirSync(`/proc/${p}/task`) : []) {
      const kids = readFileSync(`/proc/${p}/task/${t}/children`, "utf8").trim();
      for (const k of kids ? kids.split(/\s+/).map(Number) : []) {
        out.push(k);
        walk(k);
      }
    }
  };
  walk(pid);
  return out;
}
function rssMb(pids: number[]): number {
  let kb = 0;
  for (const p of pids) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      if (m) kb += Number(m[1]);
    } catch {
      // exited
    }
  }
  return kb / 1024;
}

async function waitForHealth(base: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(5000) })).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`server at ${base} not healthy after ${timeoutMs / 1000} s`);
}

class CookieJar {
  private cookies = new Map<string, string>();
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/** next-auth credentials sign-in, as the sign-in form does it. */
async function signIn(base: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  jar.take(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const body = new URLSearchParams({
    csrfToken,
    username: process.env.NAC_USER ?? "radiologist",
    password: process.env.NAC_PASSWORD ?? "radiologist-demo",
    json: "true",
  });
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header(), origin: base },
    body,
  });
  jar.take(res);
  if (!/session-token/.test(jar.header())) throw new Error(`sign-in failed (HTTP ${res.status})`);
  return jar;
}

function startServer(): { base: string; child: ChildProcess; dataDir: string } {
  if (!existsSync(".next/BUILD_ID")) throw new Error("no production build: run `npx next build --webpack` first");
  const dataDir = path.join(os.tmpdir(), `decoding-fuzz-${process.pid}`);
  const base = `http://localhost:${PORT}`;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: String(PORT),
      NAC_DATA_DIR: dataDir,
      NEXTAUTH_URL: base,
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true, // its own process group, so that stopping it stops `next start` too
  });
  return { base, child, dataDir };
}

// ---- run ----------------------------------------------------------------------------------------------------------
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main() {
  const started = process.env.BASE ? undefined : startServer();
  const base = process.env.BASE ?? started!.base;
  try {
    await waitForHealth(base, 900_000);
    const jar = await signIn(base);
    const serverPids = () => (started ? [started.child.pid!, ...descendants(started.child.pid!)] : []);
    const rssStart = rssMb(serverPids());
    let rssPeak = rssStart;
    const statuses: Record<string, number> = {};
    const fileOutcomes: Record<string, number> = {};
    const byMutation: Record<string, { cases: number; rejected: number }> = {};
    const latencies: number[] = [];
    const failures: {
      index: number;
      seedFile: string;
      mutations: string[];
      status: number | "timeout" | "network";
      body: string;
    }[] = [];
    const t0 = Date.now();
    let ran = 0;
    mkdirSync(RESULTS, { recursive: true });
    for (let i = 0; i < CASES; i++) {
      if ((Date.now() - t0) / 1000 > MAX_SECONDS) break;
      const c = makeCase(i);
      const form = new FormData();
      if (c.zipped) {
        const zip = new JSZip();
        zip.file(`case-${i}.dcm`, c.bytes);
        form.append(
          "files",
          new Blob([new Uint8Array(await zip.generateAsync({ type: "uint8array" }))], { type: "application/zip" }),
          `case-${i}.zip`,
        );
      } else {
        form.append("files", new Blob([c.bytes], { type: "application/dicom" }), `case-${i}.dcm`);
      }
      const t = performance.now();
      let status: number | "timeout" | "network";
      let body = "";
      try {
        const res = await fetch(`${base}/api/import`, {
          method: "POST",
          body: form,
          headers: { cookie: jar.header(), origin: base },
          signal: AbortSignal.timeout(CASE_TIMEOUT_MS),
        });
        status = res.status;
        body = await res.text();
      } catch (e) {
        status = e instanceof Error && e.name === "TimeoutError" ? "timeout" : "network";
        body = String(e);
      }
      latencies.push(performance.now() - t);
      ran++;
      statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
      for (const m of new Set(c.mutations)) {
        byMutation[m] ??= { cases: 0, rejected: 0 };
        byMutation[m].cases++;
      }
      if (typeof status === "number" && status < 500) {
        try {
          const report = JSON.parse(body) as { files?: { status: string; code?: string }[] };
          for (const f of report.files ?? []) {
            const k = f.status === "error" ? `error ${f.code ?? "?"}` : f.status;
            fileOutcomes[k] = (fileOutcomes[k] ?? 0) + 1;
            if (f.status === "error") for (const m of new Set(c.mutations)) byMutation[m].rejected++;
          }
          if (status >= 400) fileOutcomes[`HTTP ${status}`] = (fileOutcomes[`HTTP ${status}`] ?? 0) + 1;
        } catch {
          fileOutcomes["non-JSON answer"] = (fileOutcomes["non-JSON answer"] ?? 0) + 1;
        }
      }
      if (typeof status !== "number" || status >= 500) {
        failures.push({ index: i, seedFile: c.seedFile, mutations: c.mutations, status, body: body.slice(0, 400) });
        mkdirSync(path.join(RESULTS, "fuzz-import-failures"), { recursive: true });
        writeFileSync(path.join(RESULTS, "fuzz-import-failures", `case-${i}.dcm`), c.bytes);
        if (status !== "network") await waitForHealth(base, 120_000).catch(() => undefined);
      }
      if (i % 50 === 0) {
        rssPeak = Math.max(rssPeak, rssMb(serverPids()));
        process.stdout.write(
          `\r${i + 1}/${CASES} cases, ${failures.length} failures, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
        );
      }
    }
    rssPeak = Math.max(rssPeak, rssMb(serverPids()));
    const healthyAfter = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    const seconds = (Date.now() - t0) / 1000;
    const fiveXx = Object.entries(statuses)
      .filter(([s]) => /^5\d\d$/.test(s))
      .reduce((a, [, n]) => a + n, 0);
    const result = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? "?"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
      seed: SEED,
      casesPlanned: CASES,
      casesRun: ran,
      stoppedByTimeBound: ran < CASES,
      corpusFiles: corpus.length,
      seconds: Math.round(seconds),
      statuses,
      fiveXx,
      hangs: statuses.timeout ?? 0,
      networkErrors: statuses.network ?? 0,
      healthyAfter,
      latencyMs: {
        p50: Math.round(percentile(latencies, 50)),
        p95: Math.round(percentile(latencies, 95)),
        max: Math.round(Math.max(...latencies)),
      },
      serverRssMb: started ? { start: Math.round(rssStart), peak: Math.round(rssPeak) } : "not measured (BASE given)",
      fileOutcomes,
      byMutation,
      failures,
    };
    writeFileSync(path.join(RESULTS, "fuzz-import.json"), JSON.stringify(result, null, 1));
    console.log(`\n${JSON.stringify({ ...result, byMutation: undefined, failures: failures.slice(0, 5) }, null, 1)}`);
    const ok =
      fiveXx === 0 && result.hangs === 0 && result.networkErrors === 0 && healthyAfter && ran >= Math.min(CASES, 2000);
    console.log(ok ? "PASS: no 5xx, no hang, server healthy" : "FAIL");
    process.exitCode = ok ? 0 : 1;
  } finally {
    if (started?.child.pid) {
      try {
        process.kill(-started.child.pid, "SIGTERM"); // the process group we started
      } catch {
        // already gone
      }
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
