/**
 * The benches' 512 x 512 x 160 input: demo patient 1's CE-T1 series (256 x 256 x 56, 0.7 x 0.7 x 1.8 mm, a 37 mm
 * necrotic tumour) tiled by mirroring to 512 x 512 x 160 (same spacing), so every voxel is realistic tissue. The click
 * is the deepest voxel of the generator's tumour mask in the first tile; the reference is that tile's mask.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { deepestVoxel } from "../../lib/imaging/assisted-segmentation/click-protocol.testutil";
import { makeVolume, type Mask, type Vec3, type Volume } from "../../lib/imaging/volume";
import { encodeImageSeries, patientIdentifiers } from "../../lib/synth/dicom-series";
import { generatePatient } from "../../lib/synth/generate-patient";
import { samplePatientModel } from "../../lib/synth/patient-model";

export const DIMS: Vec3 = [512, 512, 160];

const mirror = (i: number, n: number) => {
  const p = i % (2 * n);
  return p < n ? p : 2 * n - 1 - p;
};

function tile<T extends Uint16Array | Uint8Array>(
  src: Volume<T>,
  make: (n: number) => T,
  firstTileOnly: boolean,
): Volume<T> {
  const [sx, sy, sz] = src.dims;
  const out = make(DIMS[0] * DIMS[1] * DIMS[2]);
  for (let z = 0, p = 0; z < DIMS[2]; z++)
    for (let y = 0; y < DIMS[1]; y++)
      for (let x = 0; x < DIMS[0]; x++, p++) {
        if (firstTileOnly && (x >= sx || y >= sy || z >= sz)) continue;
        out[p] = src.data[mirror(x, sx) + sx * (mirror(y, sy) + sy * mirror(z, sz))];
      }
  return makeVolume(out, { ...src, dims: DIMS });
}

export interface TiledDemo {
  image: Volume<Uint16Array>;
  reference: Mask;
  click: Vec3;
  tumourVoxels: number;
}

export function tiledDemo(): TiledDemo {
  const p = generatePatient("demo", 1, { dicom: false, nifti: false, seg: false });
  const ce = p.series.find((s) => s.role === "CE-T1")!;
  return {
    image: tile(ce.volume as Volume<Uint16Array>, (n) => new Uint16Array(n), false),
    reference: tile(ce.mask, (n) => new Uint8Array(n), true) as Mask,
    click: deepestVoxel(ce.mask.data, ce.mask)!,
    tumourVoxels: ce.tumourVoxels,
  };
}

/**
 * The tiled image as a CE-T1 DICOM series (one file per slice) of its own patient: UIDs from another seed than the
 * demo data's, so a server seeded with the demo patients imports it as new.
 */
export function tiledDemoDicom(image: Volume<Uint16Array>): { files: Uint8Array[]; patientId: string } {
  const m = { ...samplePatientModel("bench-one-click-512", 1), patientId: "BENCH-ONECLICK-512" };
  m.patientName = "Bench^OneClick512";
  return { files: encodeImageSeries(m, patientIdentifiers(m), "CE-T1", image), patientId: m.patientId };
}

/** One `nac roi grow` process (the CLI step the benches report beside the engine): its wall time and `segmentMs`. */
export function timeRoiGrowCli(
  repo: string,
  image: string,
  click: Vec3,
  out: string,
): { wallMs: number; segmentMs: number } {
  const a = performance.now();
  const stdout = execFileSync(
    "node",
    [path.join(repo, "scripts/nac.mjs"), "roi", "grow", "--image", image, "--seed", click.join(","), "--out", out],
    { encoding: "utf8" },
  );
  return { wallMs: performance.now() - a, segmentMs: JSON.parse(stdout).segmentMs as number };
}
