/**
 * scripts/nac.mjs (the cached, per-command CLI bundle behind `npm run nac`): every registered command is listed, a
 * command's own options work, errors keep their exit codes, and the cache is reused (manifest unchanged on a second
 * call). Start-up time is measured in bench/cli/startup.ts, not here.
 */
import { describe, expect, it } from "vitest";
import path from "node:path";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";

const repo = path.resolve(import.meta.dirname, "..");
const nac = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(repo, "scripts/nac.mjs"), ...args], { encoding: "utf8" });

describe("nac launcher", () => {
  it("lists every command of scripts/cli/index.ts in the top-level help", { timeout: 120_000 }, () => {
    const r = nac("--help");
    expect(r.status).toBe(0);
    for (const c of ["db", "import", "dicom", "radiomics", "protocol", "demo"])
      expect(r.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, "m"));
  });
  it("loads modules that extend the same command together (demo + demo-train)", { timeout: 120_000 }, () => {
    const r = nac("demo", "--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/generate/);
    expect(r.stdout).toMatch(/train/);
  });
  it("keeps exit codes: usage error 2, NacError 2 with one line", { timeout: 120_000 }, () => {
    expect(nac("radiomics", "--no-such-option").status).toBe(2);
    const r = nac("radiomics", "--image", "/nonexistent.nrrd", "--mask", "/nonexistent.nrrd");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error [A-Z_]+: /);
  });
  it("reuses the cached bundle while sources are unchanged", { timeout: 120_000 }, () => {
    nac("dicom", "--help");
    const m1 = readFileSync(path.join(repo, "node_modules/.cache/nac/manifest.json"), "utf8");
    nac("dicom", "--help");
    expect(readFileSync(path.join(repo, "node_modules/.cache/nac/manifest.json"), "utf8")).toBe(m1);
  });
});
