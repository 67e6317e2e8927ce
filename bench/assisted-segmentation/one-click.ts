/**
 * bench/assisted-segmentation: click -> 3D mask time of growTumourMask on a 512 x 512 x 160 series, the same step on
 * the CLI (`nac roi grow`, process start + NRRD load + segmentation + write), and the accuracy of the click protocol
 * (click-protocol.testutil.ts) on the two real MR cases of ../shared/data.
 *
 *   nice npx tsx bench/assisted-segmentation/one-click.ts [--runs 5]
 *
 * Input: tiled-demo.ts (demo patient 1's CE-T1 tiled by mirroring to 512 x 512 x 160; the click at the deepest voxel
 * of the generator's tumour in the first tile, Dice against that tile's mask). The same step in the browser, through
 * the viewer: one-click-browser.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os, { cpus } from "node:os";
import path from "node:path";
import { growTumourMask, type LesionPolarity } from "../../lib/imaging/assisted-segmentation";
import { dice, runClickProtocol } from "../../lib/imaging/assisted-segmentation/click-protocol.testutil";
import { parseDicom } from "../../lib/imaging/dicom";
import { loadDicomSeries } from "../../lib/imaging/node/load-volume";
import { writeNrrd } from "../../lib/imaging/nrrd";
import { rasterizeRoi, readRtStruct } from "../../lib/imaging/rtstruct";
import { readSeg } from "../../lib/imaging/seg";
import { makeVolume, type Mask, type Vec3, type Volume } from "../../lib/imaging/volume";
import { tiledDemo, timeRoiGrowCli } from "./tiled-demo";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;
const repo = path.resolve(import.meta.dirname, "../..");
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

function row(name: string, ms: number[], extra = "") {
  console.log(
    `| ${name} | ${Math.round(median(ms))} ms | ${Math.round(Math.min(...ms))}-${Math.round(Math.max(...ms))} |${extra ? ` ${extra} |` : ""}`,
  );
}

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" / ");
console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model}, Node ${process.version}; load average at start ${load()}`,
);

const { image, reference, click, tumourVoxels } = tiledDemo();

console.log(
  `\n512 x 512 x 160 (${image.spacing.join(" x ")} mm), tumour ${tumourVoxels} voxels, click ${click.join(",")}\n`,
);
console.log("| step | median | range (ms) | result |\n| --- | ---: | ---: | --- |");
const t: number[] = [];
let last = growTumourMask(image, { foreground: [click] });
for (let r = 0; r < runs; r++) {
  const a = performance.now();
  last = growTumourMask(image, { foreground: [click] });
  t.push(performance.now() - a);
}
row(
  "`growTumourMask`, one click",
  t,
  `Dice ${dice(last.mask.data, reference.data).toFixed(3)}, ${last.voxelCount} voxels`,
);

const three: number[] = [];
const seeds = {
  foreground: [click, [click[0] + 3, click[1], click[2]] as Vec3],
  background: [[click[0] + 80, click[1], click[2]] as Vec3],
};
for (let r = 0; r < runs; r++) {
  const a = performance.now();
  growTumourMask(image, seeds);
  three.push(performance.now() - a);
}
row("`growTumourMask`, 2 foreground + 1 background clicks", three);

const dir = mkdtempSync(path.join(os.tmpdir(), "nac-bench-grow-"));
try {
  const nrrd = path.join(dir, "image.nrrd");
  writeFileSync(nrrd, writeNrrd(image, { encoding: "raw" }));
  const cli: number[] = [],
    inside: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = timeRoiGrowCli(repo, nrrd, click, path.join(dir, "mask.nrrd"));
    cli.push(t.wallMs);
    inside.push(t.segmentMs);
  }
  row("`nac roi grow` wall time (node start, 80 MB NRRD load, segment, write)", cli);
  row("  of which the segmentation step (`segmentMs`)", inside);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Real MR cases (../shared/data), <= 3 clicks of the protocol.
const shared = path.resolve(repo, "../shared/data");
async function realCase(name: string, v: Volume, ref: Mask, polarity: LesionPolarity, target = 1) {
  const ms: number[] = [];
  const run = runClickProtocol(
    v,
    ref,
    (s) => {
      const a = performance.now();
      const m = growTumourMask(v, s, { polarity }).mask;
      ms.push(performance.now() - a);
      return m;
    },
    3,
    target,
  );
  console.log(
    `| ${name} (${polarity}) | ${Math.round(median(ms))} ms | ${Math.round(Math.min(...ms))}-${Math.round(Math.max(...ms))} | Dice after 1, 2, 3 clicks: ${run.dice.map((d) => d.toFixed(3)).join(", ")} |`,
  );
}
try {
  const [b] = await loadDicomSeries(path.join(shared, "breast_mri_ucsf_br_06/image_dce_pe1"));
  const seg = await readSeg(
    parseDicom(new Uint8Array(readFileSync(path.join(shared, "breast_mri_ucsf_br_06/mask/seg_breast_fractional.dcm")))),
    {
      ...b.volume,
      sopInstanceUids: b.meta.sopInstanceUids,
      frameNumbers: b.meta.frameNumbers,
      frameOfReferenceUid: b.meta.frameOfReferenceUid,
    },
    { fractionalThreshold: 0.5 },
  );
  const voi = seg.segments[0].mask;
  // The functional tumour volume by the published rule (docs/ASSISTED_SEGMENTATION.md): the VOI's voxels of PE1 >= 70 %.
  const ftv = makeVolume(new Uint8Array(voi.data.length), b.volume) as Mask;
  for (let q = 0; q < ftv.data.length; q++) ftv.data[q] = voi.data[q] && b.volume.data[q] >= 70 ? 1 : 0;
  await realCase(
    "breast_mri_ucsf_br_06 PE1 vs FTV (SEG >= 0.5 ∩ PE1 >= 70), stop at 0.80",
    b.volume,
    ftv,
    "bright",
    0.8,
  );
  await realCase("breast_mri_ucsf_br_06 PE1 vs SEG >= 0.5 (the VOI)", b.volume, voi, "bright");
  const [s] = await loadDicomSeries(path.join(shared, "mirp_sts/STS_002/MR_T1/dicom/image"));
  const rs = readRtStruct(
    parseDicom(new Uint8Array(readFileSync(path.join(shared, "mirp_sts/STS_002/MR_T1/dicom/mask/RS.dcm")))),
  );
  const sm = rasterizeRoi(rs.rois[0], { ...s.volume, frameOfReferenceUid: s.meta.frameOfReferenceUid });
  await realCase("mirp_sts STS_002 T1 vs RTSTRUCT", s.volume, sm, "dark");
  await realCase("mirp_sts STS_002 T1 vs RTSTRUCT", s.volume, sm, "bright"); // the wrong polarity, for contrast
} catch (e) {
  console.log(`real cases skipped: ${(e as Error).message}`);
}
console.log(`\nload average at end ${load()}`);
