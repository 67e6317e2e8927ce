/**
 * What a prediction used, in the patient's terms: per series role the ROI version with the tumour's
 * volume and longest diameter (or why the role has none), and the clinical record version with every clinical
 * variable the model takes, as the patient's value or "missing". Stored with the prediction's outputs, shown by the
 * panel, the report and the board presentation.
 */
import { roiStats } from "../../imaging/roi-stats";
import { loadRoiMask } from "../roi";
import type { CaseFeatures, CaseFeatureSpec } from "../case-features";
import type { PredictInputs } from "./select-inputs";
import { roleLabel } from "../../imaging/series/roles";
import type { PredictDeps } from "./types";
import { clinicalLabel, inputFact } from "./words";

export interface SeriesUsed {
  role: string;
  label: string;
  /** Absent: why the role contributed no image features. */
  absent?: string;
  seriesId?: string;
  description?: string | null;
  roiId?: string;
  roiVersion?: number;
  volumeMl?: number;
  longestDiameterMm?: number;
  /** Longest diameter within one image slice, and within an axial plane (RECIST-like). */
  longestInPlaneDiameterMm?: number;
  longestAxialDiameterMm?: number;
}

export interface InputsUsed {
  series: SeriesUsed[];
  clinical: {
    recordId: string;
    version: number;
    variables: { name: string; words: string; missing?: string }[];
  } | null;
  /** Clinical variables the model takes (whether or not the patient has a record). */
  clinicalVariables: string[];
  required: { seriesRoles: string[]; clinicalRecord: boolean };
  /** Why the prediction is incomplete for the bundle (empty when complete). */
  incomplete: string[];
}

/** Tumour measurements by mask sha256: an ROI version's mask never changes, so once per process is enough. */
const measured = new Map<
  string,
  { volumeMl: number; longestDiameterMm: number; longestInPlaneDiameterMm: number; longestAxialDiameterMm: number }
>();

async function measure(deps: PredictDeps, roi: { id: string; maskSha256: string; volumeMm3: number }) {
  let m = measured.get(roi.maskSha256);
  if (!m) {
    const stats = roiStats((await loadRoiMask(deps, roi.id)).mask);
    m = {
      volumeMl: stats.volumeMm3 / 1000,
      longestDiameterMm: stats.maxDiameter3dMm,
      longestInPlaneDiameterMm: stats.maxDiameterInPlaneMm,
      longestAxialDiameterMm: stats.maxDiameterAxialMm,
    };
    if (measured.size > 2000) measured.clear();
    measured.set(roi.maskSha256, m);
  }
  return m;
}

export async function describeInputsUsed(
  deps: PredictDeps,
  spec: CaseFeatureSpec,
  inputs: PredictInputs,
  features: CaseFeatures,
  required: InputsUsed["required"],
  incomplete: string[],
): Promise<InputsUsed> {
  const series: SeriesUsed[] = [];
  for (const r of inputs.roles) {
    const label = roleLabel(r.role);
    if ("absent" in r) series.push({ role: r.role, label, absent: r.absent });
    else
      series.push({
        role: r.role,
        label,
        seriesId: r.series.id,
        description: r.series.description,
        roiId: r.roi.id,
        roiVersion: r.roi.version,
        ...(await measure(deps, r.roi)),
      });
  }
  const rec = inputs.clinicalRecord;
  const clinical = rec
    ? {
        recordId: rec.id,
        version: rec.version,
        variables: spec.clinical.map((name) => {
          const key = `clinical.${name}`;
          const v = features.values[key];
          if (v === undefined)
            return {
              name,
              words: clinicalLabel(name),
              missing: features.missing.find((m) => m.name === key)?.reason ?? "missing",
            };
          return { name, words: inputFact(key, v) };
        }),
      }
    : null;
  return { series, clinical, clinicalVariables: [...spec.clinical], required, incomplete };
}
