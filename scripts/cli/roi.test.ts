/** CLI `volume info`, `roi ring`, `roi stats`, run in-process through commander (fast). */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./testdata/run-cli";
import { readNifti } from "../../lib/imaging/nifti";
import { register as registerRoi } from "./roi";
import { register as registerVolume } from "./volume";

const repo = path.resolve(import.meta.dirname, "../..");
const tmp = mkdtempSync(path.join(os.tmpdir(), "nac-cli-roi-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const label = path.join(repo, "lib/testdata/pyradiomics/breast1_label.nrrd");
const image = path.join(repo, "lib/testdata/pyradiomics/breast1_image.nrrd");

const nac = (...args: string[]) => runCli([registerVolume, registerRoi], args);

describe("nac volume / roi commands", () => {
  it("volume info, roi ring and roi stats print JSON consistent with the files", async () => {
    const info = JSON.parse(await nac("volume", "info", label));
    expect(info.dims).toEqual([45, 120, 21]);
    expect(info.sum).toBe(143); // 143 ROI voxels of value 1
    const out = path.join(tmp, "ring.nii.gz");
    const ring = JSON.parse(await nac("roi", "ring", "--mask", label, "--margin-mm", "3", "--out", out));
    const written = readNifti(new Uint8Array(readFileSync(out)));
    let n = 0;
    for (let i = 0; i < written.data.length; i++) if (written.data[i]) n++;
    expect(n).toBe(ring.voxelCount);
    expect(n).toBeGreaterThan(0);
    // Air exclusion with a threshold above every intensity removes the whole shell.
    const none = JSON.parse(
      await nac(
        "roi",
        "ring",
        "--mask",
        label,
        "--margin-mm",
        "3",
        "--out",
        path.join(tmp, "r2.nrrd"),
        "--image",
        image,
        "--air-below",
        "1e9",
      ),
    );
    expect(none.voxelCount).toBe(0);
    const stats = JSON.parse(await nac("roi", "stats", "--mask", label));
    expect(stats.voxelCount).toBe(143);
    expect(stats.maxDiameter3dMm).toBeGreaterThan(0);
  });

  it("bad inputs are NacErrors (the entry point prints one line and exits 2)", async () => {
    await expect(
      nac("roi", "ring", "--mask", label, "--margin-mm", "-1", "--out", path.join(tmp, "x.nrrd")),
    ).rejects.toMatchObject({ code: "SETTINGS_INVALID" });
    await expect(
      nac("roi", "ring", "--mask", label, "--margin-mm", "3", "--out", path.join(tmp, "x.nrrd"), "--image", image),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(nac("volume", "info", path.join(tmp, "missing.nrrd"))).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("nac roi grow", () => {
  it("segments the pyradiomics breast lesion from one click and writes the mask it reports", async () => {
    const out = path.join(tmp, "grown.nrrd");
    const r = JSON.parse(await nac("roi", "grow", "--image", image, "--seed", "25,67,9", "--out", out));
    const { readNrrd } = await import("../../lib/imaging/nrrd");
    const written = readNrrd(new Uint8Array(readFileSync(out)));
    let n = 0;
    for (let i = 0; i < written.data.length; i++) if (written.data[i]) n++;
    expect(n).toBe(r.voxelCount);
    expect(r.polarity).toBe("bright");
    expect(written.dims).toEqual([45, 120, 21]);
    // The click (the label's deepest voxel) is in the mask, which overlaps the drawn 143-voxel label.
    expect(written.data[25 + 45 * (67 + 120 * 9)]).toBe(1);
    const { loadMask } = await import("../../lib/imaging/node/load-volume");
    const ref = await loadMask(label);
    let inter = 0;
    for (let i = 0; i < ref.data.length; i++) if (ref.data[i] && written.data[i]) inter++;
    expect((2 * inter) / (143 + n)).toBeGreaterThan(0.7);
  });

  it("refuses malformed seeds and polarity with BAD_REQUEST", async () => {
    const out = path.join(tmp, "bad.nrrd");
    await expect(nac("roi", "grow", "--image", image, "--seed", "1,2", "--out", out)).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(nac("roi", "grow", "--image", image, "--seed", "1,2,-3", "--out", out)).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(nac("roi", "grow", "--image", image, "--seed", "999,2,3", "--out", out)).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      nac("roi", "grow", "--image", image, "--seed", "1,2,3", "--polarity", "up", "--out", out),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
