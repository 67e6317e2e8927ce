/**
 * `nac volume info PATH`: geometry and intensity summary of an image (NRRD, NIfTI, or DICOM folder/file) as JSON.
 */
import type { Command } from "commander";
import { NacError } from "../../lib/errors";
import { detectFormat, loadDicomSeries, loadVolume } from "../../lib/imaging/node/load-volume";
import { voxelSummary, type Volume } from "../../lib/imaging/volume";
import { voxelTypeName } from "../../lib/imaging/voxel-bytes";

export function register(program: Command): void {
  const volume = program.command("volume").description("image volume tools (NRRD, NIfTI, DICOM series)");
  volume
    .command("info")
    .description("print dims, spacing, origin, direction (LPS) and voxel sum/min/max as JSON")
    .argument("<path>", ".nrrd, .nii, .nii.gz, or a DICOM folder/file")
    .option("--series <uid>", "SeriesInstanceUID, when a DICOM folder holds several series")
    .action(async (p: string, o: { series?: string }) => {
      const format = await detectFormat(p);
      let v: Volume;
      let series: Record<string, unknown> | undefined;
      if (format === "dicom") {
        const all = await loadDicomSeries(p);
        const chosen = o.series
          ? all.find((x) => x.meta.seriesInstanceUid === o.series)
          : all.length === 1
            ? all[0]
            : undefined;
        // No unique choice: loadVolume raises the standard error (unknown UID / several series listed).
        if (!chosen) {
          await loadVolume(p, { seriesUid: o.series });
          throw new NacError("INTERNAL", "series selection disagrees with loadVolume");
        }
        const s = chosen;
        v = s.volume;
        series = {
          seriesInstanceUid: s.meta.seriesInstanceUid,
          modality: s.meta.modality,
          seriesDescription: s.meta.seriesDescription,
          slices: s.meta.sopInstanceUids.length,
        };
      } else {
        v = await loadVolume(p, { seriesUid: o.series });
      }
      const { sum, min, max } = voxelSummary(v.data);
      const info = {
        path: p,
        format,
        ...(series ? { series } : {}),
        type: voxelTypeName(v.data),
        dims: v.dims,
        spacing: v.spacing,
        origin: v.origin,
        direction: v.direction,
        space: "LPS",
        voxels: v.data.length,
        sum,
        min,
        max,
      };
      process.stdout.write(JSON.stringify(info, null, 1) + "\n");
    });
}
