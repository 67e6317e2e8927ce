/**
 * `nac radiomics --batch cases.csv --params P.yaml --out features.csv [--jobs N]`, like pyradiomics' batch command line:
 * the input CSV has a header with columns Image and Mask, optional Label (per-case label) and ID (default: the row
 * number); relative paths are relative to the CSV's folder. One output row per case: ID, Image, Mask, Label, status
 * (ok / error), error, settings_hash, then every feature (sorted; empty for a feature that failed).
 * - A failing case is reported (stderr and its row) and the batch goes on; the exit code is 3 if any case failed.
 * - The output is rewritten atomically after every case, so a killed batch loses at most the cases in flight; rerunning
 *   the same command resumes: cases with an `ok` row are skipped, failed ones are retried. An output written with other
 *   settings (settings_hash) is refused rather than mixed.
 * - One process: --jobs N extracts N cases at a time in worker threads of this process.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { NacError } from "../../lib/errors";
import { resolveSettings, settingsHash } from "../../lib/radiomics/settings";
import type { SettingsInput } from "../../lib/radiomics/settings";
import { buildSettings } from "./radiomics";

export interface BatchCase {
  id: string;
  image: string;
  mask: string;
  label: number | null;
}

export interface BatchRequest {
  csv: string;
  out: string;
  jobs: number;
  options: { mode?: string; setting: string[]; label?: string; series?: string };
  paramsText?: string;
  /** Progress sink (default: a bar on a TTY stderr, else one line per case). */
  progress?: (p: BatchProgress) => void;
  /** Extract one case (default: in this thread, or in N worker threads with jobs > 1). Tests inject failures here. */
  extract?: (
    c: BatchCase,
    settings: SettingsInput,
  ) => Promise<{ features: Record<string, number>; failures: Record<string, string> }>;
}

export interface BatchProgress {
  done: number;
  total: number;
  failed: number;
  skipped: number;
  last?: { id: string; error?: string };
}

const FIXED = ["ID", "Image", "Mask", "Label", "status", "error", "settings_hash"];

/** RFC 4180 CSV (quotes, doubled quotes, CRLF) -> rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [],
    cell = "",
    q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') q = false;
      else cell += c;
    } else if (c === '"' && cell === "") q = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      cell = "";
      if (row.length > 1 || row[0] !== "") rows.push(row);
      row = [];
    } else cell += c;
  }
  if (q) throw new NacError("BAD_REQUEST", "CSV: unterminated quoted cell");
  row.push(cell);
  if (row.length > 1 || row[0] !== "") rows.push(row);
  return rows;
}

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function readCases(csvPath: string): BatchCase[] {
  if (!existsSync(csvPath)) throw new NacError("NOT_FOUND", `cannot read ${csvPath}`);
  const rows = parseCsv(readFileSync(csvPath, "utf8"));
  if (rows.length === 0) throw new NacError("BAD_REQUEST", `${csvPath}: empty CSV`);
  const head = rows[0].map((h) => h.trim());
  const col = (n: string) => head.indexOf(n);
  if (col("Image") < 0 || col("Mask") < 0)
    throw new NacError(
      "BAD_REQUEST",
      `${csvPath}: the header needs columns Image and Mask (optional Label, ID); got ${head.join(", ")}`,
    );
  const dir = path.dirname(path.resolve(csvPath));
  const seen = new Set<string>();
  return rows.slice(1).map((r, k) => {
    const get = (n: string) => (col(n) >= 0 ? (r[col(n)] ?? "").trim() : "");
    const id = get("ID") || String(k + 1);
    if (seen.has(id)) throw new NacError("BAD_REQUEST", `${csvPath}: duplicate case ID ${id}`);
    seen.add(id);
    const image = get("Image"),
      mask = get("Mask");
    if (!image || !mask) throw new NacError("BAD_REQUEST", `${csvPath}: row ${k + 2} (ID ${id}) has no Image or Mask`);
    const labelText = get("Label");
    let label: number | null = null;
    if (labelText) {
      label = Number(labelText);
      if (!Number.isInteger(label) || label < 1 || label > 255)
        throw new NacError("BAD_REQUEST", `${csvPath}: row ${k + 2} (ID ${id}): Label must be an integer 1..255`);
    }
    return { id, image: path.resolve(dir, image), mask: path.resolve(dir, mask), label };
  });
}

interface OutRow {
  fixed: Record<string, string>;
  features: Record<string, string>;
}

function readOutput(out: string, hash: string): Map<string, OutRow> {
  const rows = new Map<string, OutRow>();
  if (!existsSync(out)) return rows;
  const all = parseCsv(readFileSync(out, "utf8"));
  if (all.length === 0) return rows;
  const head = all[0];
  if (FIXED.some((f, i) => head[i] !== f))
    throw new NacError(
      "BAD_REQUEST",
      `${out} exists and is not a batch output (header ${head.slice(0, 7).join(",")}); choose another --out`,
    );
  for (const r of all.slice(1)) {
    const fixed: Record<string, string> = {};
    const features: Record<string, string> = {};
    head.forEach((h, i) => ((i < FIXED.length ? fixed : features)[h] = r[i] ?? ""));
    if (fixed.settings_hash !== hash) {
      throw new NacError(
        "BAD_REQUEST",
        `${out} holds case ${fixed.ID} extracted with other settings (${fixed.settings_hash.slice(0, 12)}..., now ${hash.slice(0, 12)}...); choose another --out`,
      );
    }
    rows.set(fixed.ID, { fixed, features });
  }
  return rows;
}

function writeOutput(out: string, order: string[], rows: Map<string, OutRow>): void {
  const names = new Set<string>();
  for (const r of rows.values()) for (const k of Object.keys(r.features)) names.add(k);
  const featureNames = [...names].sort();
  const lines = [[...FIXED, ...featureNames].map(csvCell).join(",")];
  for (const id of order) {
    const r = rows.get(id);
    if (!r) continue;
    lines.push(
      [...FIXED.map((f) => r.fixed[f] ?? ""), ...featureNames.map((n) => r.features[n] ?? "")].map(csvCell).join(","),
    );
  }
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, lines.join("\n") + "\n");
  renameSync(tmp, out);
}

function defaultProgress(): (p: BatchProgress) => void {
  const tty = process.stderr.isTTY;
  const t0 = Date.now();
  return (p) => {
    if (p.last?.error) process.stderr.write(`${tty ? "\r\x1b[K" : ""}case ${p.last.id} failed: ${p.last.error}\n`);
    const finished = p.done + p.failed;
    const width = 30,
      fill = p.total ? Math.round((width * (finished + p.skipped)) / p.total) : width;
    const elapsed = (Date.now() - t0) / 1000;
    const eta = finished > 0 ? (elapsed / finished) * (p.total - p.skipped - finished) : NaN;
    const line = `[${"#".repeat(fill)}${".".repeat(width - fill)}] ${finished + p.skipped}/${p.total} cases (${p.failed} failed, ${p.skipped} resumed)${Number.isFinite(eta) ? ` ETA ${Math.round(eta)} s` : ""}`;
    process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
    if (tty && finished + p.skipped === p.total) process.stderr.write("\n");
  };
}

/** Worker-thread extraction: one worker per job, each taking the next case when it finishes one. */
function workerPool(
  jobs: number,
  series: string | undefined,
): { extract: NonNullable<BatchRequest["extract"]>; close: () => Promise<void> } {
  const url = new URL("./radiomics-batch-worker-boot.mjs", import.meta.url);
  const idle: Worker[] = [];
  const waiting: ((w: Worker) => void)[] = [];
  const all: Worker[] = [];
  const get = (): Promise<Worker> => {
    const w = idle.pop();
    if (w) return Promise.resolve(w);
    if (all.length < jobs) {
      const nw = new Worker(url);
      all.push(nw);
      return Promise.resolve(nw);
    }
    return new Promise((r) => waiting.push(r));
  };
  const release = (w: Worker) => {
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };
  return {
    extract: async (c, settings) => {
      const w = await get();
      try {
        return await new Promise((resolve, reject) => {
          const onMessage = (m: {
            ok: boolean;
            features?: Record<string, number>;
            failures?: Record<string, string>;
            code?: string;
            message?: string;
          }) => {
            w.off("error", onError);
            if (m.ok) resolve({ features: m.features!, failures: m.failures! });
            else reject(new NacError((m.code ?? "INTERNAL") as "INTERNAL", m.message ?? "worker failed"));
          };
          const onError = (e: Error) => {
            w.off("message", onMessage);
            reject(e);
          };
          w.once("message", onMessage);
          w.once("error", onError);
          w.postMessage({ image: c.image, mask: c.mask, settings, series });
        });
      } finally {
        release(w);
      }
    },
    close: async () => {
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}

export async function runBatch(req: BatchRequest): Promise<BatchProgress> {
  const cases = readCases(req.csv);
  const base = buildSettings(
    { mode: req.options.mode, setting: req.options.setting, label: req.options.label },
    req.paramsText,
  );
  const hash = settingsHash(resolveSettings(base));
  const rows = readOutput(req.out, hash);
  const order = cases.map((c) => c.id);
  const progress = req.progress ?? defaultProgress();
  const state: BatchProgress = { done: 0, total: cases.length, failed: 0, skipped: 0 };
  const todo = cases.filter((c) => {
    const r = rows.get(c.id);
    const same =
      r &&
      r.fixed.status === "ok" &&
      r.fixed.Image === c.image &&
      r.fixed.Mask === c.mask &&
      r.fixed.Label === (c.label === null ? "" : String(c.label));
    if (same) state.skipped++;
    return !same;
  });
  progress(state);
  const series = req.options.series;
  const pool = !req.extract && req.jobs > 1 ? workerPool(req.jobs, series) : null;
  const extract =
    req.extract ??
    pool?.extract ??
    (async (c: BatchCase, s: SettingsInput) => {
      const { extractCase } = await import("./radiomics");
      return extractCase(c.image, c.mask, s, series);
    });
  const queue = todo.slice();
  try {
    await Promise.all(
      Array.from({ length: Math.max(1, Math.min(req.jobs, todo.length)) }, async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          const settings: SettingsInput = c.label === null ? base : { ...base, label: c.label };
          const fixed: Record<string, string> = {
            ID: c.id,
            Image: c.image,
            Mask: c.mask,
            Label: c.label === null ? "" : String(c.label),
            settings_hash: hash,
          };
          try {
            const r = await extract(c, settings);
            const features: Record<string, string> = {};
            for (const [k, v] of Object.entries(r.features)) features[k] = String(v);
            for (const k of Object.keys(r.failures)) features[k] ??= "";
            rows.set(c.id, { fixed: { ...fixed, status: "ok", error: "" }, features });
            state.done++;
            state.last = { id: c.id };
          } catch (e) {
            const msg = e instanceof NacError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
            rows.set(c.id, { fixed: { ...fixed, status: "error", error: msg }, features: {} });
            state.failed++;
            state.last = { id: c.id, error: msg };
          }
          writeOutput(req.out, order, rows);
          progress({ ...state });
        }
      }),
    );
  } finally {
    await pool?.close();
  }
  if (todo.length === 0) writeOutput(req.out, order, rows);
  return state;
}
