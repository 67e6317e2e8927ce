/**
 * Where the heavy computations of experiments run. The server runs them in a child process (`nac experiment compute`,
 * `nac experiment fit-bundle`): the protocol takes minutes of CPU and would otherwise block the server's event loop, and
 * the child never opens the database (PGlite admits one process); it reads a table and a request and writes the result,
 * which the calling process stores. The CLI and tests compute in-process (partitions on worker threads); both give
 * identical numbers.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { NacError } from "../../errors";
import { runExperiment, type ExperimentResult, type ExperimentTable } from "../../experiments";
import type { ModelBundle } from "../../ml/bundle";
import { runProtocolParallel } from "../../ml/protocol/node/run-protocol-parallel";
import { buildExperimentBundle, type ExperimentBundleRequest } from "./bundle";

/** Computes an experiment's result from its table and configuration (no database). */
export type ExperimentCompute = (
  input: { table: ExperimentTable; tableBytes: Uint8Array; config: unknown },
  onProgress: (done: number, total: number, what: string) => void,
) => Promise<ExperimentResult>;

/** In this process, partitions on worker threads (CLI, tests). */
export function inProcessCompute(workers = 2): ExperimentCompute {
  return ({ table, config }, onProgress) =>
    runExperiment(table, config, { runner: (input, c) => runProtocolParallel(input, c, { workers }), onProgress });
}

/** Runs `nac <args>` in a child process (cwd = the repository); progress lines "progress d/n what" on its stdout. */
async function runNacChild(
  args: string[],
  o: { cwd?: string; onProgress?: (done: number, total: number, what: string) => void },
): Promise<void> {
  const cwd = o.cwd ?? process.cwd();
  const onProgress = o.onProgress ?? (() => undefined);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(cwd, "scripts/nac.ts"), ...args], {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let buf = "";
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString("utf8");
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const m = /^progress (\d+)\/(\d+) (.*)$/.exec(line);
        if (m) onProgress(Number(m[1]), Number(m[2]), m[3]);
      }
    });
    child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString("utf8")).slice(-4000)));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) return resolve();
      const m = /error ([A-Z_]+): (.*)/.exec(stderr);
      reject(
        m
          ? new NacError(m[1] as "DATA_INVALID", m[2])
          : new NacError("INTERNAL", `experiment computation exited with ${signal ?? `code ${code}`}`),
      );
    });
  });
}

async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), "nac-experiment-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** In a child process running `nac experiment compute` (the server). */
export function childProcessCompute(o: { cwd?: string; workers?: number } = {}): ExperimentCompute {
  return ({ tableBytes, config }, onProgress) =>
    experimentChild<ExperimentResult>("compute", tableBytes, "--config", config, o, onProgress);
}

/** Builds a bundle from an experiment's feature set (the protocol re-run with the final model). */
export type BundleBuilder = (
  table: ExperimentTable,
  tableBytes: Uint8Array,
  req: ExperimentBundleRequest,
) => Promise<ModelBundle>;

export function inProcessBundleBuilder(workers = 2): BundleBuilder {
  return (table, _bytes, req) =>
    buildExperimentBundle(table, req, (input, c) => runProtocolParallel(input, c, { workers }));
}

/** In a child process running `nac experiment fit-bundle` (the server). */
export function childProcessBundleBuilder(o: { cwd?: string; workers?: number } = {}): BundleBuilder {
  return (_table, tableBytes, req) => experimentChild<ModelBundle>("fit-bundle", tableBytes, "--request", req, o);
}

/**
 * `nac experiment <command> --table <csv> <flag> <json> --out <json>` in a child process, in a temporary folder: the
 * table bytes and one JSON input go in as files, the command's JSON answer comes back.
 */
function experimentChild<T>(
  command: "compute" | "fit-bundle",
  tableBytes: Uint8Array,
  flag: "--config" | "--request",
  input: unknown,
  o: { cwd?: string; workers?: number },
  onProgress?: (done: number, total: number, what: string) => void,
): Promise<T> {
  return inTempDir(async (dir) => {
    const t = path.join(dir, "table.csv"),
      i = path.join(dir, "input.json"),
      out = path.join(dir, "output.json");
    await writeFile(t, tableBytes);
    await writeFile(i, JSON.stringify(input));
    await runNacChild(
      ["experiment", command, "--table", t, flag, i, "--out", out, "--workers", String(o.workers ?? 2)],
      {
        cwd: o.cwd,
        onProgress,
      },
    );
    return JSON.parse(await readFile(out, "utf8")) as T;
  });
}
