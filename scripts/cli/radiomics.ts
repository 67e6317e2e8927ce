/**
 * `nac radiomics --image IMG --mask MASK [--label N] [--mode ibsi|pyradiomics] [--params FILE.yaml]
 *  [--setting key=value ...] [--format json|csv] [--full]`: handcrafted radiomic features of one ROI.
 * `nac radiomics --batch cases.csv --params P.yaml --out features.csv [--jobs N]`: many cases (radiomics-batch.ts).
 * In pyradiomics mode `--setting imageType.LoG={"sigma":[1,3]}` enables an image type (null disables it).
 * IMG: NIfTI, NRRD or DICOM folder; MASK: NIfTI/NRRD label map, or DICOM SEG / RTSTRUCT (segment / ROI number = --label).
 * Prints one JSON object feature name -> value (null for a feature that could not be computed; --full prints the whole
 * result with settings, settings hash, engine version, failure reasons and diagnostics).
 */
import type { Command } from "commander";
import { NacError } from "../../lib/errors";
import { parseDicom, TAG } from "../../lib/imaging/dicom";
import { detectFormat, loadMask } from "../../lib/imaging/node/load-volume";
import type { DicomSeries } from "../../lib/imaging/series";
import { loadImageInput, readInputBytes } from "./inputs";
import { rasterizeRoi, readRtStruct } from "../../lib/imaging/rtstruct";
import { readSeg, type SegReference } from "../../lib/imaging/seg";
import { makeVolume, type Mask, type Volume } from "../../lib/imaging/volume";
import { extractFeatures, type RadiomicsResult } from "../../lib/radiomics/extract";
import {
  applyPyradiomicsDocSetting,
  emptyPyradiomicsDoc,
  parsePyradiomicsDoc,
  pyradiomicsDocToSettings,
} from "../../lib/radiomics/pyradiomics-params";
import { runBatch } from "./radiomics-batch";
import type { SettingsInput } from "../../lib/radiomics/settings";

interface RadiomicsOptions {
  image?: string;
  mask?: string;
  batch?: string;
  out?: string;
  jobs: string;
  label?: string;
  mode?: string;
  params?: string;
  setting: string[];
  format: string;
  full?: boolean;
  series?: string;
}

async function loadImage(p: string, seriesUid?: string): Promise<{ image: Volume; dicom?: DicomSeries }> {
  const r = await loadImageInput(p, seriesUid);
  return { image: r.volume, dicom: r.series };
}

/** The ROI as a mask whose voxels equal `label` (label maps as is; SEG segment / RTSTRUCT ROI number `label`). */
async function loadRoiMask(p: string, image: Awaited<ReturnType<typeof loadImage>>, label: number): Promise<Mask> {
  if ((await detectFormat(p)) !== "dicom") return loadMask(p, image.image);
  const ds = parseDicom(await readInputBytes(p));
  const modality = ds.string(TAG.Modality);
  let binary: Uint8Array | undefined;
  if (modality === "SEG") {
    const ref: SegReference = image.dicom
      ? {
          ...image.image,
          sopInstanceUids: image.dicom.meta.sopInstanceUids,
          frameNumbers: image.dicom.meta.frameNumbers,
        }
      : image.image;
    const seg = await readSeg(ds, ref);
    const s = seg.segments.find((x) => x.segment.number === label);
    if (!s)
      throw new NacError(
        "NOT_FOUND",
        `${p}: no segment ${label} (have ${seg.segments.map((x) => x.segment.number).join(", ")})`,
      );
    binary = s.mask.data;
  } else if (modality === "RTSTRUCT") {
    const rois = readRtStruct(ds).rois;
    const roi = rois.find((r) => r.number === label);
    if (!roi)
      throw new NacError(
        "NOT_FOUND",
        `${p}: no ROI number ${label} (have ${rois.map((r) => `${r.number} "${r.name}"`).join(", ")})`,
      );
    binary = rasterizeRoi(roi, image.image).data;
  } else {
    throw new NacError(
      "UNSUPPORTED_MEDIA",
      `${p}: DICOM ${modality ?? "object"} is not a mask (expected SEG or RTSTRUCT)`,
    );
  }
  const data = new Uint8Array(binary.length);
  for (let i = 0; i < data.length; i++) data[i] = binary[i] ? label : 0;
  return makeVolume(data, image.image);
}

/** Load one case and extract its features (the single-case command and every batch case). */
export async function extractCase(
  imagePath: string,
  maskPath: string,
  settings: SettingsInput,
  series?: string,
): Promise<RadiomicsResult> {
  const image = await loadImage(imagePath, series);
  const mask = await loadRoiMask(maskPath, image, settings.label ?? 1);
  return extractFeatures(image.image, mask, settings);
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export function buildSettings(
  o: Pick<RadiomicsOptions, "mode" | "params" | "setting" | "label">,
  paramsText?: string,
): SettingsInput {
  if (o.mode !== undefined && o.mode !== "ibsi" && o.mode !== "pyradiomics")
    throw new NacError("BAD_REQUEST", `--mode must be ibsi or pyradiomics`);
  if (paramsText !== undefined && o.mode === "ibsi")
    throw new NacError("BAD_REQUEST", "--params is a pyradiomics parameter file; it implies --mode pyradiomics");
  const pairs = o.setting.map((kv) => {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new NacError("BAD_REQUEST", `--setting expects key=value, got ${kv}`);
    return [kv.slice(0, eq), parseValue(kv.slice(eq + 1))] as const;
  });
  let s: SettingsInput;
  if (paramsText !== undefined || o.mode === "pyradiomics") {
    // pyradiomics' own names (settings, filter parameters, imageType.<Type>={...}) edit the parameter file; any other
    // key is one of our schema's.
    const doc = paramsText !== undefined ? parsePyradiomicsDoc(paramsText) : emptyPyradiomicsDoc();
    const ours: Record<string, unknown> = {};
    for (const [k, v] of pairs) if (!applyPyradiomicsDocSetting(doc, k, v)) ours[k] = v;
    s = { ...pyradiomicsDocToSettings(doc), ...ours };
  } else {
    s = { mode: "ibsi" };
    for (const [k, v] of pairs) (s as Record<string, unknown>)[k] = v;
  }
  // --label wins over a parameter file's `label`; without either, the default label 1 applies.
  if (o.label !== undefined) {
    const label = Number(o.label);
    if (!Number.isInteger(label) || label < 1 || label > 255)
      throw new NacError("BAD_REQUEST", `--label must be an integer 1..255`);
    s.label = label;
  }
  return s;
}

function csvCell(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function formatResult(r: RadiomicsResult, format: string, full: boolean): string {
  const names = [...Object.keys(r.features), ...Object.keys(r.failures)].sort();
  if (format === "csv") {
    const lines = full ? ["feature,value,error"] : ["feature,value"];
    for (const n of names) {
      const v = n in r.features ? String(r.features[n]) : "";
      lines.push(full ? `${csvCell(n)},${v},${csvCell(r.failures[n] ?? "")}` : `${csvCell(n)},${v}`);
    }
    return lines.join("\n") + "\n";
  }
  if (format !== "json") throw new NacError("BAD_REQUEST", `--format must be json or csv`);
  if (full) return JSON.stringify(r, null, 1) + "\n";
  const obj: Record<string, number | null> = {};
  for (const n of names) obj[n] = n in r.features ? r.features[n] : null;
  return JSON.stringify(obj, null, 1) + "\n";
}

export function register(program: Command): void {
  program
    .command("radiomics")
    .description("handcrafted radiomic features (IBSI or pyradiomics definitions) of one ROI; prints name -> value")
    .option("--image <path>", "image: NIfTI, NRRD or DICOM folder")
    .option("--mask <path>", "mask: NIfTI/NRRD label map, DICOM SEG or RTSTRUCT")
    .option(
      "--batch <cases.csv>",
      "batch mode (pyradiomics' CSV: columns Image, Mask, optional Label and ID): one output row per case",
    )
    .option("--out <features.csv>", "batch output CSV; an existing file is resumed (cases already done are skipped)")
    .option("--jobs <n>", "batch: cases extracted in parallel (worker threads of this process)", "1")
    .option(
      "--label <n>",
      "label value / SEG segment number / RTSTRUCT ROI number (default 1, or the parameter file's label)",
    )
    .option("--mode <mode>", "ibsi | pyradiomics (default ibsi; pyradiomics with --params)")
    .option("--params <file.yaml>", "pyradiomics parameter file (imageType, featureClass, setting)")
    .option(
      "--setting <key=value>",
      "override one setting (repeatable; JSON values, e.g. resampledSpacing=[2,2,2])",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option("--format <fmt>", "json | csv", "json")
    .option("--full", "print settings, settings hash, engine version, failure reasons and diagnostics too")
    .option("--series <uid>", "SeriesInstanceUID when the image folder holds several series")
    .action(async (o: RadiomicsOptions) => {
      if (o.batch !== undefined) {
        if (o.image !== undefined || o.mask !== undefined)
          throw new NacError("BAD_REQUEST", "--batch takes images and masks from the CSV; drop --image / --mask");
        if (!o.out) throw new NacError("BAD_REQUEST", "--batch needs --out <features.csv>");
        const jobs = Number(o.jobs);
        if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)
          throw new NacError("BAD_REQUEST", "--jobs must be an integer 1..64");
        const paramsText = o.params ? new TextDecoder().decode(await readInputBytes(o.params)) : undefined;
        buildSettings(o, paramsText); // validate before the first case
        const summary = await runBatch({
          csv: o.batch,
          out: o.out,
          jobs,
          options: { mode: o.mode, setting: o.setting, label: o.label, series: o.series },
          paramsText,
        });
        if (summary.failed > 0) process.exitCode = 3;
        return;
      }
      if (o.image === undefined || o.mask === undefined)
        throw new NacError("BAD_REQUEST", "--image and --mask are required (or --batch cases.csv)");
      const paramsText = o.params ? new TextDecoder().decode(await readInputBytes(o.params)) : undefined;
      const settings = buildSettings(o, paramsText);
      const result = await extractCase(o.image, o.mask, settings, o.series);
      process.stdout.write(formatResult(result, o.format, !!o.full));
    });
}
