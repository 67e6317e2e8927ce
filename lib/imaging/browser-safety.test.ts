/**
 * The geometry half of the imaging core (lib/imaging/*.ts: codecs, geometry, resampling, EDT, shell, ROI stats) must
 * run in the browser: no Node built-ins, Buffer or process outside `node/` and tests.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const dir = import.meta.dirname;
const files = readdirSync(dir).filter((n) => /\.ts$/.test(n) && !/\.test\.ts$|\.d\.ts$/.test(n));

describe("browser safety of lib/imaging/*.ts", () => {
  it("covers the core files", () =>
    expect(files).toEqual(expect.arrayContaining(["nrrd.ts", "nifti.ts", "resample.ts", "peritumoral.ts"])));
  it.each(files)("%s uses no Node-only API", (f) => {
    const src = readFileSync(path.join(dir, f), "utf8");
    expect(src).not.toMatch(/from\s+["'](node:|fs|path|zlib|crypto|buffer|os|child_process)["'/]/);
    expect(src).not.toMatch(/\brequire\(/);
    expect(src).not.toMatch(/\bBuffer\.|\bprocess\./);
  });
});
