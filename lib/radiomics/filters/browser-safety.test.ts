/** The filters run in the browser like the rest of the engine: no Node built-ins, Buffer or process. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const dir = import.meta.dirname;
const files = readdirSync(dir).filter((n) => /\.ts$/.test(n) && !/\.test\.ts$|\.d\.ts$/.test(n));

describe("browser safety of lib/radiomics/filters", () => {
  it("covers the filter modules", () =>
    expect(files).toEqual(expect.arrayContaining(["ibsi.ts", "gabor.ts", "separable-wavelet.ts"])));
  it.each(files)("%s uses no Node-only API", (f) => {
    const src = readFileSync(path.join(dir, f), "utf8");
    expect(src).not.toMatch(/from\s+["'](node:|fs|path|zlib|crypto|buffer|os|child_process)["'/]/);
    expect(src).not.toMatch(/\brequire\(/);
    expect(src).not.toMatch(/\bBuffer\.|\bprocess\./);
  });
});
