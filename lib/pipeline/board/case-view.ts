/**
 * One patient of a board session as the presentation shows it: key images of CE-T1, T2 and CT with
 * the ROI and the peritumoral shell the model measured, the tumour's volume and longest diameter, a clinical summary,
 * the latest prediction (both endpoints with their spread, top contributions in words, warnings, model and version,
 * incomplete or outdated), and only the identity the session allows. Every case shown is audited (board.case_view).
 */
import type { PrismaClient } from "../../../generated/prisma/client";
import { storedPredictionOutputsSchema } from "../../api/schemas";
import { recordAudit } from "../../audit/audit-log";
import { patientAsSeenBy } from "../../auth/patient-view";
import { CLINICAL_VARIABLES as FORM_VARIABLES } from "../../clinical/variables";
import { NacError } from "../../errors";
import { peritumoralShell } from "../../imaging/peritumoral";
import { roiStats } from "../../imaging/roi-stats";
import { renderKeyImage } from "../../report/key-image";
import { encodePngRgba } from "../../report/png";
import type { FileStore } from "../../storage/file-store";
import { loadBundleRow } from "../active-bundle";
import { periShellModeOf } from "../case-features";
import { inputChanges } from "../predict/outdated";
import type { Endpoints, RoiUse } from "../predict/types";
import { loadRoiMask } from "../roi";
import { loadSeriesVolume } from "../series-volume";
import { getBoardSessionOrThrow } from "./sessions";

const ROLES = [
  { role: "CE_T1", label: "CE-T1" },
  { role: "T2", label: "T2" },
  { role: "CT", label: "CT" },
] as const;
const ENDPOINT_LABEL = { pcr: "pCR", response: "Response (≥ 30 % size reduction)" } as const;
/** Contributions shown per endpoint: a board reads three, not eight. */
const TOP_WORDS = 3;

export interface BoardKeyImage {
  role: string;
  label: string;
  /** Why there is no image (no series, no ROI, unreadable). */
  absent?: string;
  pngBase64?: string;
  slice?: number;
  roiVersion?: number;
  volumeMl?: number;
  longestDiameterMm?: number;
}

export interface BoardCaseView {
  session: { id: string; title: string; position: number; count: number };
  patient: { id: string; displayName: string | null; patientKey: string | null; isSynthetic: boolean };
  keyImages: BoardKeyImage[];
  clinical: { version: number; summary: string[] } | null;
  prediction: {
    id: string;
    createdAt: string;
    model: { name: string; version: string; isDemo: boolean };
    endpoints: {
      key: "pcr" | "response";
      label: string;
      probability: number;
      spread: Endpoints["pcr"]["spread"];
      contributions: string[];
      imputed: string[];
    }[];
    warnings: string[];
    incomplete: string[];
    outdated: string[];
  } | null;
}

type Deps = { prisma: PrismaClient; store: FileStore };

/** Rendered key images by ROI and shell: a board steps back and forth through the same few cases. */
const imageCache = new Map<string, BoardKeyImage>();

async function keyImage(
  deps: Deps,
  label: string,
  role: string,
  use: { seriesId: string; roiId: string; version: number },
  shell: { marginMm: number; measureFrom: ReturnType<typeof periShellModeOf> } | null,
): Promise<BoardKeyImage> {
  const key = `${use.roiId}|${shell?.marginMm}|${shell?.measureFrom}`;
  const hit = imageCache.get(key);
  if (hit) return hit;
  const { mask } = await loadRoiMask(deps, use.roiId);
  const volume = await loadSeriesVolume(deps, use.seriesId);
  const img = renderKeyImage(
    volume,
    mask,
    shell ? peritumoralShell(mask, shell.marginMm, { measureFrom: shell.measureFrom }) : null,
  );
  const stats = roiStats(mask);
  const out: BoardKeyImage = {
    role,
    label,
    pngBase64: Buffer.from(encodePngRgba(img.width, img.height, img.rgba)).toString("base64"),
    slice: img.slice,
    roiVersion: use.version,
    volumeMl: stats.volumeMm3 / 1000,
    longestDiameterMm: stats.maxDiameter3dMm,
  };
  if (imageCache.size >= 64) imageCache.delete(imageCache.keys().next().value!);
  imageCache.set(key, out);
  return out;
}

/** The clinical record in a board's words: "Age 49 years", "ER negative", "Subtype HR-/HER2+", ... */
function clinicalSummary(values: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const v of FORM_VARIABLES) {
    const x = values[v.name];
    if (x === undefined || x === null || x === "") continue;
    out.push(`${v.label.replace(/ \(.+\)$/, "")}: ${x}${v.kind === "number" ? ` ${v.unit}` : ""}`);
  }
  if (typeof values.subtype === "string") out.push(`Subtype: ${values.subtype}`);
  return out;
}

export async function boardCaseView(
  deps: Deps,
  sessionId: string,
  position: number,
  user: { id: string; username: string },
  view: { identified: boolean; salt: string; sourceAddress?: string | null },
): Promise<BoardCaseView> {
  const session = await getBoardSessionOrThrow(deps.prisma, sessionId);
  const patientId = session.patientIds[position];
  if (patientId === undefined)
    throw new NacError("NOT_FOUND", `board session ${sessionId} has no case ${position + 1}`);
  const patient = await deps.prisma.patient.findUniqueOrThrow({ where: { id: patientId } });
  const seen = patientAsSeenBy(patient, view.identified, view.salt);

  const last = await deps.prisma.prediction.findFirst({
    where: { patientId },
    orderBy: { createdAt: "desc" },
    include: { modelBundle: true },
  });
  let shell: { marginMm: number; measureFrom: ReturnType<typeof periShellModeOf> } | null = null;
  let uses: RoiUse[];
  if (last) {
    const spec = (await loadBundleRow(deps, last.modelBundle)).spec;
    shell = { marginMm: spec.periMarginMm, measureFrom: periShellModeOf(spec) };
    uses = (last.inputs as { rois?: RoiUse[] }).rois ?? [];
  } else {
    // No prediction yet: the latest ROI of each role's most recent series, without a shell (no model to take it from).
    const series = await deps.prisma.series.findMany({
      where: { study: { patientId } },
      orderBy: { createdAt: "desc" },
    });
    uses = [];
    for (const { role } of ROLES) {
      const s = series.find((x) => x.role === role);
      const roi = s
        ? await deps.prisma.roi.findFirst({ where: { seriesId: s.id }, orderBy: { version: "desc" } })
        : null;
      if (s && roi) uses.push({ role, seriesId: s.id, roiId: roi.id, version: roi.version });
    }
  }
  const outputs = last ? storedPredictionOutputsSchema.parse(last.outputs) : null;
  const used = outputs?.inputsUsed ?? null;
  const keyImages: BoardKeyImage[] = [];
  for (const { role, label } of ROLES) {
    const u = uses.find((x) => x.role === role);
    if (!u) {
      keyImages.push({ role, label, absent: used?.series.find((s) => s.role === role)?.absent ?? `no ${label} ROI` });
      continue;
    }
    try {
      keyImages.push(await keyImage(deps, label, role, u, shell));
    } catch (e) {
      keyImages.push({ role, label, absent: `image unavailable: ${(e as Error).message}` });
    }
  }

  const record = await deps.prisma.clinicalRecord.findFirst({ where: { patientId }, orderBy: { version: "desc" } });
  const prediction: BoardCaseView["prediction"] = last
    ? {
        id: last.id,
        createdAt: last.createdAt.toISOString(),
        model: { name: last.modelBundle.name, version: last.modelVersion, isDemo: last.modelBundle.isDemo },
        endpoints: (["pcr", "response"] as const).map((key) => {
          const e = outputs!.endpoints[key];
          return {
            key,
            label: ENDPOINT_LABEL[key],
            probability: e.probability,
            spread: e.spread,
            contributions: e.contributions
              .filter((c) => c.input !== null)
              .slice(0, TOP_WORDS)
              .map((c) => c.words),
            imputed: e.contributions.filter((c) => c.input === null).map((c) => c.words),
          };
        }),
        warnings: (last.warnings as string[]) ?? [],
        incomplete: used?.incomplete ?? [],
        outdated: await inputChanges(deps.prisma, last),
      }
    : null;

  await recordAudit(deps.prisma, {
    action: "board.case_view",
    userId: user.id,
    username: user.username,
    patientId,
    targetType: "board_session",
    targetId: sessionId,
    details: {
      position,
      predictionId: last?.id ?? null,
      identified: !seen.pseudonymised,
      showName: session.showName,
      showPatientKey: session.showPatientKey,
    },
    sourceAddress: view.sourceAddress ?? null,
  });
  return {
    session: { id: session.id, title: session.title, position, count: session.patientIds.length },
    patient: {
      id: patient.id,
      displayName: session.showName ? seen.displayName : null,
      patientKey: session.showPatientKey ? seen.patientKey : null,
      isSynthetic: patient.isSynthetic,
    },
    keyImages,
    clinical: record
      ? { version: record.version, summary: clinicalSummary(record.values as Record<string, unknown>) }
      : null,
    prediction,
  };
}
