/**
 * bench/imaging: load a 512x512x160 16-bit series and build the 5 mm peritumoral shell.
 *
 * A synthetic axial breast-MR-like series (0.7 x 0.7 x 2 mm, uint16, explicit VR little endian, one file per slice)
 * is written with dcmjs into a temp folder, then timed: raw file reads (reference: disk + fs only), readDicomSeries
 * on the bytes, loadVolume(folder) end to end, the same volume as NRRD (raw and gzip), and on two tumours
 * (a realistic ~44 mm lobulated lesion and a ~200k-voxel one) the 5 mm shell (centres / faces / with air exclusion /
 * sub-voxel surface) and ROI statistics; then resampling of the whole series and of a mask to 1 mm isotropic. Median
 * of --runs runs after one warm-up.
 *
 *   npx tsx bench/imaging/load-and-shell.ts [--runs 5] [--keep]
 *   npx tsx bench/imaging/load-and-shell.ts --shells-only [--runs 5]   (sub-voxel shells only: "surface" and
 *     "surface-volume-matched" timed alternately in each run, so both see the same load; writes imaging-shells.json)
 * Writes bench/results/imaging.json; the table goes to docs/BENCHMARKS.md (## imaging) by hand.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os, { cpus } from "node:os";
import path from "node:path";
import * as dcmjsNs from "dcmjs";
import { loadVolume } from "../../lib/imaging/node/load-volume";
import { readNrrd, writeNrrd } from "../../lib/imaging/nrrd";
import { peritumoralShell } from "../../lib/imaging/peritumoral";
import { roiStats } from "../../lib/imaging/roi-stats";
import { resampleMask, resampleVolume } from "../../lib/imaging/resample";
import { readDicomSeries } from "../../lib/imaging/series";
import { makeVolume, type Mask, type Vec3, type Volume } from "../../lib/imaging/volume";
import { mulberry32 } from "../../lib/random/prng";

const dcmjs: typeof dcmjsNs = (dcmjsNs as unknown as { default?: typeof dcmjsNs }).default ?? dcmjsNs;
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] || 5) || 5;
const keep = args.includes("--keep");
const shellsOnly = args.includes("--shells-only");
const DIMS: Vec3 = [512, 512, 160];
const SPACING: Vec3 = [0.7, 0.7, 2];
const ORIGIN: Vec3 = [-179.2, -150, -160];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function timeIt<T>(
  name: string,
  fn: () => T | Promise<T>,
): Promise<{ name: string; medianMs: number; runsMs: number[]; last: T }> {
  let last = await fn(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    last = await fn();
    times.push(performance.now() - t);
  }
  const res = { name, medianMs: +median(times).toFixed(1), runsMs: times.map((t) => +t.toFixed(1)), last };
  console.log(`${name.padEnd(58)} median ${res.medianMs.toFixed(1).padStart(8)} ms`);
  return res;
}

/** Lobulated ellipsoid (semi-axes in mm) centred at c (mm from the volume origin, index space x spacing). */
function tumourMask(semi: Vec3, c: Vec3): Mask {
  const [nx, ny, nz] = DIMS;
  const m = new Uint8Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const x = (i * SPACING[0] - c[0]) / semi[0],
          y = (j * SPACING[1] - c[1]) / semi[1],
          z = (k * SPACING[2] - c[2]) / semi[2];
        const r = Math.sqrt(x * x + y * y + z * z);
        if (r > 1.3) continue;
        const th = Math.atan2(y, x),
          ph = Math.acos(Math.max(-1, Math.min(1, z / (r || 1))));
        const lobes = 1 + 0.12 * Math.cos(3 * th) * Math.sin(2 * ph) + 0.08 * Math.cos(5 * th + 1);
        if (r <= lobes) m[i + j * nx + k * nx * ny] = 1;
      }
  return makeVolume(m, { dims: DIMS, spacing: SPACING, origin: ORIGIN }) as Mask;
}

function syntheticImage(tumour: Mask): Volume<Uint16Array> {
  const [nx, ny, nz] = DIMS;
  const rnd = mulberry32(7).next;
  const data = new Uint16Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const idx = i + j * nx + k * nx * ny;
        // Body: two breast-like half ellipsoids anterior to a chest wall (y large = posterior in LPS).
        const x = i * SPACING[0] - 179.2,
          y = j * SPACING[1] - 150,
          z = k * SPACING[2] - 160;
        const inBreast = (cx: number) => ((x - cx) / 80) ** 2 + ((y - 60) / 110) ** 2 + (z / 150) ** 2 <= 1 && y < 60;
        const body = y >= 60 && y < 140 && Math.abs(x) < 170 && Math.abs(z) < 155;
        let v = 5 + 10 * rnd();
        if (inBreast(-85) || inBreast(85) || body) v = 300 + 80 * rnd();
        if (tumour.data[idx]) v = 900 + 150 * rnd();
        data[idx] = Math.round(v);
      }
  return makeVolume(data, { dims: DIMS, spacing: SPACING, origin: ORIGIN });
}

function writeSeries(dir: string, img: Volume<Uint16Array>): void {
  const [nx, ny, nz] = DIMS;
  const study = "2.25.1001",
    series = "2.25.1002",
    frame = "2.25.1003";
  for (let k = 0; k < nz; k++) {
    const sop = `2.25.1004${k}`;
    const slice = img.data.slice(k * nx * ny, (k + 1) * nx * ny);
    const ds: Record<string, unknown> = {
      SOPClassUID: "1.2.840.10008.5.1.4.1.1.4",
      SOPInstanceUID: sop,
      StudyInstanceUID: study,
      SeriesInstanceUID: series,
      FrameOfReferenceUID: frame,
      Modality: "MR",
      PatientID: "BENCH",
      SeriesDescription: "synthetic bench series",
      SeriesNumber: "1",
      InstanceNumber: String(k + 1),
      ImagePositionPatient: [ORIGIN[0], ORIGIN[1], ORIGIN[2] + k * SPACING[2]],
      ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
      PixelSpacing: [SPACING[1], SPACING[0]],
      SliceThickness: SPACING[2],
      Rows: ny,
      Columns: nx,
      SamplesPerPixel: 1,
      PhotometricInterpretation: "MONOCHROME2",
      BitsAllocated: 16,
      BitsStored: 16,
      HighBit: 15,
      PixelRepresentation: 0,
      PixelData: [slice.buffer],
      _vrMap: { PixelData: "OW" },
    };
    const meta = {
      FileMetaInformationVersion: { Value: [new Uint8Array([0, 1]).buffer], vr: "OB" },
      MediaStorageSOPClassUID: { Value: ["1.2.840.10008.5.1.4.1.1.4"], vr: "UI" },
      MediaStorageSOPInstanceUID: { Value: [sop], vr: "UI" },
      TransferSyntaxUID: { Value: ["1.2.840.10008.1.2.1"], vr: "UI" },
      ImplementationClassUID: { Value: ["2.25.1005"], vr: "UI" },
    };
    const dict = new dcmjs.data.DicomDict(meta);
    dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(ds);
    writeFileSync(path.join(dir, `IM${String(k).padStart(4, "0")}.dcm`), new Uint8Array(dict.write()));
  }
}

/** Sub-voxel shells only: each run times "surface" then "surface-volume-matched" back to back (after one warm-up each). */
async function shellModes(tumours: [string, Mask][]) {
  const count = (m: Mask) => {
    let n = 0;
    for (let i = 0; i < m.data.length; i++) if (m.data[i]) n++;
    return n;
  };
  const rows = [];
  for (const [label, tumour] of tumours) {
    const modes = ["surface", "surface-volume-matched"] as const;
    const times: Record<string, number[]> = { surface: [], "surface-volume-matched": [] };
    const voxels: Record<string, number> = {};
    for (const mode of modes) voxels[mode] = count(peritumoralShell(tumour, 5, { measureFrom: mode })); // warm-up
    for (let r = 0; r < runs; r++) {
      for (const mode of modes) {
        const t = performance.now();
        peritumoralShell(tumour, 5, { measureFrom: mode });
        times[mode].push(performance.now() - t);
      }
    }
    for (const mode of modes) {
      const ms = times[mode];
      console.log(
        `shell 5 mm (${mode}), ${label} tumour (${count(tumour)} vox): median ${median(ms).toFixed(0)} ms, range ${Math.min(...ms).toFixed(0)}-${Math.max(...ms).toFixed(0)}, ${voxels[mode]} shell voxels`,
      );
      rows.push({
        tumour: label,
        mode,
        medianMs: +median(ms).toFixed(1),
        runsMs: ms.map((x) => +x.toFixed(1)),
        shellVoxels: voxels[mode],
      });
    }
  }
  return rows;
}

async function main() {
  if (shellsOnly) {
    console.log(
      `machine: ${cpus().length} CPUs, ${cpus()[0]?.model}; node ${process.version}; runs ${runs}; load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(" ")}`,
    );
    const rows = await shellModes([
      ["realistic", tumourMask([22, 18, 15], [200, 150, 150])],
      ["large", tumourMask([40, 36, 34], [180, 170, 160])],
    ]);
    const resDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../results");
    mkdirSync(resDir, { recursive: true });
    writeFileSync(
      path.join(resDir, "imaging-shells.json"),
      JSON.stringify({ runs, loadAverageAtEnd: os.loadavg(), rows }, null, 1) + "\n",
    );
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "nac-bench-imaging-"));
  const seriesDir = path.join(dir, "series");
  mkdirSync(seriesDir);
  console.log(
    `machine: ${cpus().length} CPUs, ${cpus()[0]?.model}; node ${process.version}; runs ${runs}; load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
  const realistic = tumourMask([22, 18, 15], [200, 150, 150]);
  const large = tumourMask([40, 36, 34], [180, 170, 160]);
  const img = syntheticImage(realistic);
  let t = performance.now();
  writeSeries(seriesDir, img);
  console.log(`wrote ${DIMS[2]} DICOM files with dcmjs in ${(performance.now() - t).toFixed(0)} ms -> ${seriesDir}`);
  const files = readdirSync(seriesDir)
    .sort()
    .map((f) => path.join(seriesDir, f));
  const nrrdRaw = path.join(dir, "image.nrrd"),
    nrrdGz = path.join(dir, "image-gz.nrrd");
  writeFileSync(nrrdRaw, writeNrrd(img, { encoding: "raw" }));
  t = performance.now();
  writeFileSync(nrrdGz, writeNrrd(img, { encoding: "gzip", level: 1 }));
  console.log(`wrote gzip NRRD (level 1) in ${(performance.now() - t).toFixed(0)} ms`);

  const results = [];
  results.push(
    await timeIt("reference: fs read of the 160 files (bytes only)", () => files.map((f) => readFileSync(f))),
  );
  const bytes = files.map((f) => new Uint8Array(readFileSync(f)));
  results.push(await timeIt("readDicomSeries(160 x Uint8Array) -> Volume", () => readDicomSeries(bytes)));
  const load = await timeIt("loadVolume(DICOM folder) end to end", () => loadVolume(seriesDir));
  results.push(load);
  const v = load.last;
  let same = v.data.length === img.data.length;
  for (let i = 0; same && i < v.data.length; i++) if (v.data[i] !== img.data[i]) same = false;
  console.log(
    `  DICOM volume equals the generated one: ${same}; dims ${v.dims.join("x")}, spacing ${v.spacing.join("x")}`,
  );
  results.push(await timeIt("loadVolume(NRRD raw)", () => loadVolume(nrrdRaw)));
  results.push(await timeIt("loadVolume(NRRD gzip)", () => loadVolume(nrrdGz)));
  results.push(await timeIt("readNrrd(raw bytes) (no disk)", () => readNrrd(new Uint8Array(readFileSync(nrrdRaw)))));

  const shells: Record<string, number> = {};
  for (const [label, tumour] of [
    ["realistic", realistic],
    ["large", large],
  ] as const) {
    const st = roiStats(tumour);
    console.log(
      `tumour ${label}: ${st.voxelCount} voxels, ${(st.volumeMm3 / 1000).toFixed(1)} cm3, max 3D diameter ${st.maxDiameter3dMm.toFixed(1)} mm`,
    );
    const c = await timeIt(`shell 5 mm (centres), ${label} tumour (${st.voxelCount} vox)`, () =>
      peritumoralShell(tumour, 5),
    );
    const f = await timeIt(`shell 5 mm (faces), ${label} tumour`, () =>
      peritumoralShell(tumour, 5, { measureFrom: "faces" }),
    );
    const a = await timeIt(`shell 5 mm (centres) + air < 100 excluded, ${label}`, () =>
      peritumoralShell(tumour, 5, { excludeAirBelow: { image: v, threshold: 100 } }),
    );
    const sf = await timeIt(`shell 5 mm (surface), ${label} tumour`, () =>
      peritumoralShell(tumour, 5, { measureFrom: "surface" }),
    );
    const s = await timeIt(`roiStats (count, volume, diameters), ${label}`, () => roiStats(tumour));
    results.push(c, f, a, sf, s);
    for (const [k, r] of [
      ["centres", c],
      ["faces", f],
      ["air", a],
      ["surface", sf],
    ] as const) {
      let n = 0;
      for (let i = 0; i < r.last.data.length; i++) if (r.last.data[i]) n++;
      shells[`${label}_${k}`] = n;
    }
  }
  console.log("shell voxel counts:", shells);
  // Resampling the whole series to 1 mm isotropic (IBSI grid): 512x512x160 @ 0.7x0.7x2 -> 359x359x320.
  results.push(
    await timeIt("resampleVolume to 1 mm iso, linear (whole series)", () =>
      resampleVolume(v, { spacing: [1, 1, 1], method: "linear" }),
    ),
  );
  results.push(
    await timeIt("resampleVolume to 1 mm iso, cubic B-spline (whole series)", () =>
      resampleVolume(v, { spacing: [1, 1, 1], method: "bspline" }),
    ),
  );
  results.push(
    await timeIt("resampleMask to 1 mm iso, linear + 0.5 threshold (realistic)", () =>
      resampleMask(realistic, { spacing: [1, 1, 1], method: "linear" }),
    ),
  );
  const out = {
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadAverageAtEnd: os.loadavg() },
    runs,
    dims: DIMS,
    spacing: SPACING,
    dicomEqualsGenerated: same,
    shellVoxelCounts: shells,
    timings: results.map(({ name, medianMs, runsMs }) => ({ name, medianMs, runsMs })),
  };
  const resDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../results");
  mkdirSync(resDir, { recursive: true });
  writeFileSync(path.join(resDir, "imaging.json"), JSON.stringify(out, null, 1) + "\n");
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
