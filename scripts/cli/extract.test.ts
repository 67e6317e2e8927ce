import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extractionSpecInput } from "../../lib/cohort/extraction-spec";
import { extractionOptionsFromFlags } from "./extract";

describe("nac extract: settings flags", () => {
  const dflt = { handcrafted: "pyradiomics" };
  it("no flags: nothing set (the cohort's shell, the paper's settings)", () => {
    expect(extractionOptionsFromFlags(dflt)).toEqual({ handcrafted: { mode: "pyradiomics" } });
  });
  it("roles, regions, margin, shell mode, IBSI, encoder input", () => {
    const o = extractionOptionsFromFlags({
      handcrafted: "ibsi",
      roles: "T2,CE_T1",
      regions: "peri",
      margin: "3.5",
      shellMode: "centres",
      deepInput: "32",
    });
    expect(o).toEqual({
      roles: ["T2", "CE_T1"],
      regions: ["peri"],
      periMarginMm: 3.5,
      periShellMode: "centres",
      handcrafted: { mode: "ibsi" },
      deepInputSize: 32,
    });
    expect(extractionSpecInput(o).roles).toEqual(["CE_T1", "T2"]);
  });
  it("a pyradiomics parameter file is read and checked before anything is queued", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nac-extract-flags-"));
    const good = path.join(dir, "p.yaml");
    writeFileSync(good, "setting:\n  binWidth: 5\n");
    expect(
      extractionSpecInput(extractionOptionsFromFlags({ ...dflt, params: good })).handcrafted?.discretisation,
    ).toMatchObject({ binWidth: 5 });
    const bad = path.join(dir, "bad.yaml");
    writeFileSync(bad, "setting:\n  label: 3\n");
    expect(() => extractionOptionsFromFlags({ ...dflt, params: bad })).toThrow(/label 3/);
    expect(() => extractionOptionsFromFlags({ handcrafted: "ibsi", params: good })).toThrow(/--params/);
  });
  it("bad values are a BAD_REQUEST naming the option", () => {
    expect(() => extractionOptionsFromFlags({ ...dflt, margin: "five" })).toThrow(/periMarginMm/);
    expect(() => extractionOptionsFromFlags({ ...dflt, roles: "MG" })).toThrow(/roles/);
    expect(() => extractionOptionsFromFlags({ ...dflt, shellMode: "faces" })).toThrow(/periShellMode/);
    expect(() => extractionOptionsFromFlags({ handcrafted: "radiomics" })).toThrow(/handcrafted/);
  });
});
