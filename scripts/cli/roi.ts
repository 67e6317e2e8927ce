/**
 * `nac roi ring` (peritumoral shell) and `nac roi stats` (count, volume, diameters) on NIfTI/NRRD masks;
 * `nac roi grow` (assisted 3D tumour segmentation from seed clicks, the engine of the viewer's one-click tool).
 */
import type { Command } from "commander";
import { NacError } from "../../lib/errors";
import { loadMask, loadVolume } from "../../lib/imaging/node/load-volume";
import { saveVolume } from "../../lib/imaging/node/save-volume";
import { PERITUMORAL_MEASURES, peritumoralShell } from "../../lib/imaging/peritumoral";
import { growTumourMask, type LesionPolarity } from "../../lib/imaging/assisted-segmentation";
import { roiStats } from "../../lib/imaging/roi-stats";
import { makeVolume, type Mask, type Vec3 } from "../../lib/imaging/volume";

function parseNumber(name: string, s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const x = Number(s);
  if (!Number.isFinite(x)) throw new NacError("BAD_REQUEST", `${name} must be a number, got "${s}"`);
  return x;
}

/** "x,y,z" voxel indices (integers, as the viewer shows them). */
function parseSeed(flag: string, s: string): Vec3 {
  const parts = s.split(",");
  if (parts.length !== 3 || parts.some((p) => !/^\s*\d+\s*$/.test(p))) {
    throw new NacError("BAD_REQUEST", `${flag} must be x,y,z voxel indices (non-negative integers), got "${s}"`);
  }
  return parts.map(Number) as Vec3;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

function selectLabel(m: Mask, label: number | undefined): Mask {
  if (label === undefined) return m;
  const out = new Uint8Array(m.data.length);
  for (let i = 0; i < out.length; i++) out[i] = m.data[i] === label ? 1 : 0;
  return makeVolume(out, m) as Mask;
}

export function register(program: Command): void {
  const roi = program.command("roi").description("region-of-interest tools");
  roi
    .command("ring")
    .description("peritumoral shell: non-tumour voxels within --margin-mm of the tumour (exact anisotropic EDT)")
    .requiredOption("--mask <path>", "tumour mask (NIfTI/NRRD; any non-zero voxel is tumour unless --label)")
    .requiredOption("--margin-mm <mm>", "shell thickness in mm")
    .requiredOption("--out <path>", "output mask (.nrrd, .nii, .nii.gz)")
    .option("--label <n>", "use only this label of the mask as tumour")
    .option("--image <path>", "image on the mask's grid, for air exclusion (needs --air-below)")
    .option("--air-below <value>", "exclude shell voxels whose image value is below this (e.g. -500 for CT HU)")
    .option("--body <path>", "body mask on the same grid; voxels outside it are excluded")
    .option(
      "--measure-from <mode>",
      "distance to tumour voxel 'centres' (dilation, default), 'faces', 'surface' (sub-voxel interpolated surface), or " +
        "'surface-volume-matched' (that surface corrected between/beyond thick slices and matched to the tumour volume)",
      "centres",
    )
    .action(
      async (o: {
        mask: string;
        marginMm: string;
        out: string;
        label?: string;
        image?: string;
        airBelow?: string;
        body?: string;
        measureFrom: string;
      }) => {
        const margin = parseNumber("--margin-mm", o.marginMm)!;
        const airBelow = parseNumber("--air-below", o.airBelow);
        if ((o.image === undefined) !== (airBelow === undefined)) {
          throw new NacError("BAD_REQUEST", "--image and --air-below go together (air exclusion needs both)");
        }
        const measureFrom = PERITUMORAL_MEASURES.find((m) => m === o.measureFrom);
        if (!measureFrom) {
          throw new NacError(
            "BAD_REQUEST",
            `--measure-from must be one of ${PERITUMORAL_MEASURES.join(", ")}, got "${o.measureFrom}"`,
          );
        }
        const image = o.image ? await loadVolume(o.image) : undefined;
        const tumour = selectLabel(await loadMask(o.mask, image), parseNumber("--label", o.label));
        const body = o.body ? await loadMask(o.body, tumour) : undefined;
        const started = performance.now();
        const shell = peritumoralShell(tumour, margin, {
          bodyMask: body,
          excludeAirBelow: image ? { image, threshold: airBelow! } : undefined,
          measureFrom,
        });
        const ms = performance.now() - started;
        await saveVolume(o.out, shell);
        let n = 0;
        for (let i = 0; i < shell.data.length; i++) if (shell.data[i]) n++;
        const vox = shell.spacing[0] * shell.spacing[1] * shell.spacing[2];
        process.stdout.write(
          JSON.stringify(
            {
              out: o.out,
              marginMm: margin,
              measureFrom: o.measureFrom,
              voxelCount: n,
              volumeMm3: n * vox,
              milliseconds: Math.round(ms),
            },
            null,
            1,
          ) + "\n",
        );
      },
    );

  roi
    .command("stats")
    .description("voxel count, volume (mm^3), bounding box, centroid, longest 3D and in-plane diameters as JSON")
    .requiredOption("--mask <path>", "mask (NIfTI/NRRD)")
    .option("--label <n>", "only this label (default: any non-zero voxel)")
    .action(async (o: { mask: string; label?: string }) => {
      const m = await loadMask(o.mask);
      const stats = roiStats(m, { label: parseNumber("--label", o.label) });
      process.stdout.write(JSON.stringify({ mask: o.mask, spacing: m.spacing, ...stats }, null, 1) + "\n");
    });

  roi
    .command("grow")
    .description(
      "assisted 3D tumour segmentation from seed clicks (voxel indices); prints voxels, volume, threshold, time",
    )
    .requiredOption("--image <path>", "image: DICOM folder/file, NIfTI or NRRD")
    .requiredOption("--seed <x,y,z>", "foreground click, voxel indices (repeat for more)", collect)
    .option("--background <x,y,z>", "background click, voxel indices (repeat for more)", collect)
    .option(
      "--polarity <bright|dark>",
      "lesion brighter (enhancing, default) or darker than its surroundings",
      "bright",
    )
    .option("--max-radius-mm <mm>", "largest extent of the lesion from the seeds (default 60)")
    .requiredOption("--out <path>", "output mask (.nrrd, .nii, .nii.gz)")
    .action(
      async (o: {
        image: string;
        seed: string[];
        background?: string[];
        polarity: string;
        maxRadiusMm?: string;
        out: string;
      }) => {
        if (o.polarity !== "bright" && o.polarity !== "dark")
          throw new NacError("BAD_REQUEST", `--polarity must be bright or dark, got "${o.polarity}"`);
        const seeds = {
          foreground: o.seed.map((s) => parseSeed("--seed", s)),
          background: (o.background ?? []).map((s) => parseSeed("--background", s)),
        };
        const image = await loadVolume(o.image);
        const t0 = performance.now();
        const r = growTumourMask(image, seeds, {
          polarity: o.polarity as LesionPolarity,
          maxRadiusMm: parseNumber("--max-radius-mm", o.maxRadiusMm),
        });
        const ms = performance.now() - t0;
        await saveVolume(o.out, r.mask);
        const volumeMm3 = r.voxelCount * image.spacing[0] * image.spacing[1] * image.spacing[2];
        process.stdout.write(
          JSON.stringify(
            {
              out: o.out,
              voxelCount: r.voxelCount,
              volumeMm3,
              threshold: r.threshold,
              lesionLevel: r.lesionLevel,
              backgroundLevel: r.backgroundLevel,
              polarity: r.polarity,
              searchRadiusMm: r.searchRadiusMm,
              segmentMs: Math.round(ms),
            },
            null,
            1,
          ) + "\n",
        );
      },
    );
}
