import type { PrismaClient } from "../../generated/prisma/client";
import { recordAudit } from "../audit/audit-log";
import { patientAsSeenBy } from "../auth/patient-view";
import { NacError } from "../errors";
import { peritumoralShell } from "../imaging/peritumoral";
import { renderKeyImage } from "../report/key-image";
import { encodePngRgba } from "../report/png";
import { buildReportPdf, type ReportData } from "../report/report-pdf";
import { roiMeasurement, type RoiMeasurement } from "../report/roi-measurements";
import type { FileStore } from "../storage/file-store";
import type { ModelBundle } from "../ml/bundle";
import { caseSpecFromBundle } from "./case-features/bundle";
import { periShellModeOf } from "./case-features";
import { loadRoiMask } from "./roi";
import { loadSeriesVolume } from "./series-volume";
import { describeMeasurement } from "../measurements/measurement-set";
import { readMeasurements } from "../measurements/measurement-store";
import { roleLabel } from "../imaging/series/roles";
import { storedInputsSchema, storedOutputsSchema, storedWarningsSchema } from "../api/schemas";
import { modelLabel } from "../ml/bundle/model-label";
import type { InputsUsed } from "./predict/inputs-used";
import { inputChanges } from "./predict/outdated";

/**
 * The tumour-board report of one stored prediction: patient, probabilities with spread, explanation, warnings, key
 * images with the ROI, and the model card summary of the bundle that produced it (read from the stored bundle itself).
 */
const ENDPOINT_LABEL: Record<string, string> = {
  pcr: "Pathologic complete response (pCR)",
  response: "Response (>= 30% size reduction)",
};

interface BundleFile {
  featureSpec: ModelBundle["featureSpec"];
  modelCard?: { title?: string; intendedUse?: string; trainingData?: string; limitations?: string[]; demo?: boolean };
  endpoints?: Record<string, { metrics?: { summary?: Record<string, { mean: number; sd: number } | null> } }>;
}

export async function reportDataForPrediction(
  deps: { prisma: PrismaClient; store: FileStore },
  predictionId: string,
): Promise<ReportData> {
  const p = await deps.prisma.prediction.findUnique({
    where: { id: predictionId },
    include: { patient: true, modelBundle: true, user: true },
  });
  if (!p) throw new NacError("NOT_FOUND", `prediction ${predictionId} not found`);
  const outputs = storedOutputsSchema.parse(p.outputs);
  const bundle = JSON.parse(new TextDecoder().decode(await deps.store.get(p.modelBundle.storageKey))) as BundleFile;
  const card = bundle.modelCard ?? {};
  const validation = Object.entries(bundle.endpoints ?? {}).map(([ep, e]) => {
    const s = e.metrics?.summary ?? {};
    const f = (k: string) => (s[k] ? `${(100 * s[k]!.mean).toFixed(1)}% +/- ${(100 * s[k]!.sd).toFixed(1)}` : "n/a");
    return `${ENDPOINT_LABEL[ep] ?? ep}: balanced accuracy ${f("balancedAccuracy")}, AUC ${f("auc")} (mean +/- SD over the validation partitions)`;
  });

  // The key images show the peritumoral region this bundle measured (its margin and shell mode).
  const caseSpec = caseSpecFromBundle(bundle);
  const shell = { marginMm: caseSpec.periMarginMm, measureFrom: periShellModeOf(caseSpec) };
  const inputs = storedInputsSchema.parse(p.inputs);
  const keyImages: ReportData["keyImages"] = [];
  const measurements: RoiMeasurement[] = [];
  for (const r of inputs.rois ?? []) {
    try {
      const { roi, mask } = await loadRoiMask(deps, r.roiId);
      measurements.push(roiMeasurement(roleLabel(r.role), roi.version, mask));
      const volume = await loadSeriesVolume(deps, r.seriesId);
      const img = renderKeyImage(
        volume,
        mask,
        peritumoralShell(mask, shell.marginMm, { measureFrom: shell.measureFrom }),
      );
      keyImages.push({
        title: `${roleLabel(r.role)}, slice ${img.slice + 1}`,
        png: encodePngRgba(img.width, img.height, img.rgba),
      });
    } catch (e) {
      // A missing key image must not stop the report; the server log says why.
      console.warn(`report ${predictionId}: no key image for ${r.role}: ${(e as Error).message}`);
    }
  }

  // The readers' saved measurements (length, bidirectional, ROI long/short axis) of the patient's series, latest version.
  const readerMeasurements: NonNullable<ReportData["readerMeasurements"]> = [];
  for (const s of await deps.prisma.series.findMany({
    where: { study: { patientId: p.patientId } },
    select: { id: true, role: true, description: true },
    orderBy: { role: "asc" },
  })) {
    const set = await readMeasurements(deps.store, s.id);
    if (!set.measurements.length) continue;
    const who = set.savedBy
      ? `, saved by ${set.savedBy.displayName} ${set.savedAt?.slice(0, 16).replace("T", " ")} UTC`
      : "";
    readerMeasurements.push({
      title: `${roleLabel(s.role)} (${s.description ?? "series"})${who}`,
      lines: set.measurements.map(describeMeasurement),
    });
  }

  return {
    generatedAt: new Date().toISOString(),
    patient: {
      displayName: p.patient.displayName,
      patientKey: p.patient.patientKey,
      isSynthetic: p.patient.isSynthetic,
    },
    prediction: { id: p.id, createdAt: p.createdAt.toISOString(), author: p.user?.displayName ?? null },
    model: {
      name: p.modelBundle.name,
      version: p.modelVersion,
      isDemo: p.modelBundle.isDemo,
      label: modelLabel(!!card.demo || p.modelBundle.isDemo, card.title ?? p.modelBundle.name),
      bundleId: p.modelBundle.bundleId,
    },
    endpoints: Object.entries(outputs.endpoints).map(([key, e]) => ({
      key,
      label: ENDPOINT_LABEL[key] ?? key,
      probability: e.probability,
      spread: e.spread,
      contributions: e.contributions,
      ...(e.calibration !== undefined ? { calibration: e.calibration } : {}),
    })),
    warnings: p.warnings === null ? [] : storedWarningsSchema.parse(p.warnings),
    card: {
      intendedUse: card.intendedUse ?? "not stated",
      trainingData: card.trainingData ?? "not stated",
      validation,
      limitations: card.limitations ?? [],
    },
    keyImages,
    measurements,
    readerMeasurements,
    provenanceHash: p.provenanceHash,
    inputs: await inputsInWords(deps.prisma, p),
  };
}

/** The report's "Inputs used": ROI version per series with volume and longest diameter, every clinical variable used. */
async function inputsInWords(
  prisma: PrismaClient,
  p: { patientId: string; inputs: unknown; outputs: unknown },
): Promise<NonNullable<ReportData["inputs"]>> {
  const used = (p.outputs as { inputsUsed?: InputsUsed }).inputsUsed;
  const outdated = await inputChanges(prisma, p);
  if (!used) {
    // Older predictions stored versions only.
    const stored = p.inputs as {
      rois?: { role: string; version: number }[];
      clinicalRecord?: { version: number } | null;
    };
    return {
      incomplete: [],
      outdated,
      series: (stored.rois ?? []).map((r) => `${roleLabel(r.role)}: ROI version ${r.version}`),
      clinical: [
        stored.clinicalRecord
          ? `clinical record version ${stored.clinicalRecord.version} (values not recorded with this prediction)`
          : "no clinical record",
      ],
    };
  }
  return {
    incomplete: used.incomplete,
    outdated,
    series: used.series.map((s) =>
      s.absent
        ? `${s.label}: ${s.absent}`
        : `${s.label}: ROI version ${s.roiVersion}, ${s.volumeMl!.toFixed(1)} mL, longest diameter ${s.longestDiameterMm!.toFixed(0)} mm`,
    ),
    clinical: used.clinical
      ? [
          `record version ${used.clinical.version}`,
          ...used.clinical.variables.map((v) =>
            v.missing ? `${v.words}: missing (${v.missing}), training median used` : v.words,
          ),
        ]
      : [
          `no clinical record: ${used.clinicalVariables.length} variables imputed with the training median (${used.clinicalVariables.join(", ")})`,
        ],
  };
}

/** `view`: how the user may see the patient (lib/auth/patient-view.ts); identified when absent. */
export async function reportPdfForPrediction(
  deps: { prisma: PrismaClient; store: FileStore },
  predictionId: string,
  user: { id: string; username: string },
  view: { identified: boolean; salt: string; sourceAddress?: string | null } = { identified: true, salt: "" },
) {
  const full = await reportDataForPrediction(deps, predictionId);
  const data = { ...full, patient: patientAsSeenBy(full.patient, view.identified, view.salt) };
  const pdf = await buildReportPdf(data);
  const p = await deps.prisma.prediction.findUniqueOrThrow({ where: { id: predictionId } });
  await recordAudit(deps.prisma, {
    action: "report.download",
    userId: user.id,
    username: user.username,
    patientId: p.patientId,
    targetType: "prediction",
    targetId: predictionId,
    details: { identified: view.identified },
    sourceAddress: view.sourceAddress ?? null,
  });
  return { pdf, data };
}
