/**
 * The DICOM/SEG/RTSTRUCT/series core must run in the browser: no Node built-ins, Buffer or process outside `node/`
 * folders and tests.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOTS = ["dicom", "seg", "series", "rtstruct"].map((d) => path.resolve(import.meta.dirname, "..", d));

function coreFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return name === "node" ? [] : coreFiles(p);
    return /\.(ts|js)$/.test(name) && !/\.test\.ts$|\.testutil\.ts$|\.d\.ts$/.test(name) ? [p] : [];
  });
}

describe("browser safety of the imaging DICOM core", () => {
  const files = ROOTS.flatMap(coreFiles);
  it("covers the core files", () => expect(files.length).toBeGreaterThan(15));
  it.each(files.map((f) => [path.relative(path.resolve(import.meta.dirname, ".."), f), f]))(
    "%s uses no Node-only API",
    (_rel, f) => {
      const src = readFileSync(f, "utf8");
      expect(src).not.toMatch(/from\s+["'](node:|fs|path|zlib|crypto|buffer|os|child_process)["'/]/);
      expect(src).not.toMatch(/\brequire\(/);
      expect(src).not.toMatch(/\bBuffer\.|\bprocess\./);
    },
  );
});
