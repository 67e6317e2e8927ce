/**
 * `nac radiomics --batch`: one row per case, failures reported without stopping, resumable from the output, settings
 * never mixed; and the real command on the pyradiomics test cases (worker threads, a missing file among them).
 */
import { describe, expect, it } from "vitest";
import path from "node:path";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { parseCsv, runBatch, type BatchCase } from "./radiomics-batch";

const repo = path.resolve(import.meta.dirname, "../..");
const data = path.join(repo, "lib/testdata/pyradiomics");

function setup(rows: string[]): { dir: string; csv: string; out: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "filters-batch-"));
  const csv = path.join(dir, "cases.csv");
  writeFileSync(csv, ["ID,Image,Mask,Label", ...rows].join("\n") + "\n");
  return { dir, csv, out: path.join(dir, "features.csv") };
}

describe("radiomics batch", () => {
  it("reports a failing case in its row and goes on; a rerun skips the done cases and retries the failed one", async () => {
    const { csv, out } = setup(["a,a.nrrd,am.nrrd,", "b,b.nrrd,bm.nrrd,2", '"c,1",c.nrrd,cm.nrrd,']);
    const calls: string[] = [];
    let failB = true;
    const extract = async (
      c: BatchCase,
    ): Promise<{ features: Record<string, number>; failures: Record<string, string> }> => {
      calls.push(c.id);
      if (c.id === "b" && failB) throw new Error("cannot read b.nrrd");
      return {
        features: { original_firstorder_Mean: c.id.length, original_glcm_Idmn: 0.5 },
        failures: c.id === "a" ? { original_glcm_MCC: "flat" } : {},
      };
    };
    const progress: string[] = [];
    const r1 = await runBatch({
      csv,
      out,
      jobs: 1,
      options: { mode: "pyradiomics", setting: [] },
      extract,
      progress: (p) => progress.push(`${p.done}/${p.failed}/${p.skipped}`),
    });
    expect(r1).toMatchObject({ done: 2, failed: 1, skipped: 0, total: 3 });
    expect(progress.at(-1)).toBe("2/1/0");
    const rows = parseCsv(readFileSync(out, "utf8"));
    expect(rows[0]).toEqual([
      "ID",
      "Image",
      "Mask",
      "Label",
      "status",
      "error",
      "settings_hash",
      "original_firstorder_Mean",
      "original_glcm_Idmn",
      "original_glcm_MCC",
    ]);
    expect(rows.map((r) => [r[0], r[4], r[5]])).toEqual([
      ["ID", "status", "error"],
      ["a", "ok", ""],
      ["b", "error", "cannot read b.nrrd"],
      ["c,1", "ok", ""],
    ]);
    expect(rows[1][9]).toBe(""); // a failed feature is an empty cell, never a made-up number
    expect(rows[2][3]).toBe("2");

    failB = false;
    calls.length = 0;
    const r2 = await runBatch({
      csv,
      out,
      jobs: 2,
      options: { mode: "pyradiomics", setting: [] },
      extract,
      progress: () => {},
    });
    expect(calls).toEqual(["b"]);
    expect(r2).toMatchObject({ done: 1, failed: 0, skipped: 2 });
    expect(parseCsv(readFileSync(out, "utf8")).map((r) => r[4])).toEqual(["status", "ok", "ok", "ok"]);
  });

  it("refuses to resume an output written with other settings, and a CSV without Image/Mask or with duplicate IDs", async () => {
    const { csv, out, dir } = setup(["a,a.nrrd,am.nrrd,"]);
    const extract = async () => ({ features: { x: 1 }, failures: {} });
    await runBatch({ csv, out, jobs: 1, options: { mode: "pyradiomics", setting: [] }, extract, progress: () => {} });
    await expect(
      runBatch({
        csv,
        out,
        jobs: 1,
        options: { mode: "pyradiomics", setting: ["binWidth=5"] },
        extract,
        progress: () => {},
      }),
    ).rejects.toThrow(/other settings/);
    writeFileSync(path.join(dir, "bad.csv"), "Img,Mask\nx,y\n");
    await expect(
      runBatch({ csv: path.join(dir, "bad.csv"), out, jobs: 1, options: { setting: [] }, extract }),
    ).rejects.toThrow(/Image and Mask/);
    writeFileSync(path.join(dir, "dup.csv"), "ID,Image,Mask\n1,a,b\n1,c,d\n");
    await expect(
      runBatch({ csv: path.join(dir, "dup.csv"), out, jobs: 1, options: { setting: [] }, extract }),
    ).rejects.toThrow(/duplicate case ID 1/);
  });

  it(
    "runs `nac radiomics --batch` on brain1, breast1 and a missing case with --jobs 2 (one process, worker threads)",
    { timeout: 300_000 },
    () => {
      const { csv, out } = setup([
        `brain1,${data}/brain1_image.nrrd,${data}/brain1_label.nrrd,`,
        `missing,${data}/nope.nrrd,${data}/brain1_label.nrrd,`,
        `breast1,${data}/breast1_image.nrrd,${data}/breast1_label.nrrd,1`,
      ]);
      const r = spawnSync(
        process.execPath,
        [
          path.join(repo, "scripts/nac.mjs"),
          "radiomics",
          "--batch",
          csv,
          "--params",
          path.join(data, "params/Params.yaml"),
          "--out",
          out,
          "--jobs",
          "2",
        ],
        { encoding: "utf8" },
      );
      expect(r.status).toBe(3); // some case failed
      expect(r.stderr).toMatch(/case missing failed: NOT_FOUND/);
      expect(r.stderr).toMatch(/3\/3 cases \(1 failed, 0 resumed\)/);
      const rows = parseCsv(readFileSync(out, "utf8"));
      const byId = Object.fromEntries(rows.slice(1).map((x) => [x[0], x]));
      expect(byId.brain1[4]).toBe("ok");
      expect(byId.breast1[4]).toBe("ok");
      expect(byId.missing[4]).toBe("error");
      const mean = rows[0].indexOf("original_firstorder_Mean");
      expect(Number(byId.brain1[mean])).toBeGreaterThan(0);
      const again = spawnSync(
        process.execPath,
        [
          path.join(repo, "scripts/nac.mjs"),
          "radiomics",
          "--batch",
          csv,
          "--params",
          path.join(data, "params/Params.yaml"),
          "--out",
          out,
        ],
        { encoding: "utf8" },
      );
      expect(again.stderr).toMatch(/3\/3 cases \(1 failed, 2 resumed\)/);
    },
  );
});
