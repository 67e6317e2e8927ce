/**
 * Write-back to the PACS: a saved ROI as its DICOM SEG (the very bytes stored locally, which reference the
 * source series), and a prediction as a TID 1500 Measurement Report (lib/pacs/sr-tid1500.ts) that references those
 * SEGs. The report is deterministic per prediction (UIDs derived from its id, content date its creation time), so the
 * file downloaded from the report page and the one stored to the PACS are the same bytes.
 */
import type { PrismaClient } from "../../../generated/prisma/client";
import { recordAudit } from "../../audit/audit-log";
import { NacError } from "../../errors";
import { parseDicom } from "../../imaging/dicom";
import { roiStats } from "../../imaging/roi-stats";
import { writeMeasurementReport, type SrRoiGroup } from "../../pacs/sr-tid1500";
import type { FileStore } from "../../storage/file-store";
import { sha256Hex } from "../../storage/file-store";
import { uidFromKey } from "../../synth/hash";
import { pacsClient, type PacsDeps } from "./sources";
import { loadRoiMask, seriesMetadataOrThrow } from "../roi";
import { IMAGE_ROLES, isImageRole, roleIdOf, roleLabel } from "../../imaging/series/roles";

export interface WritebackDeps extends PacsDeps {
  store: FileStore;
}

type User = { id: string | null; username: string };

export interface StoredToPacs {
  kind: "seg" | "sr";
  sourceId: string;
  sourceName: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  sha256: string;
  alreadyStored: boolean;
}

/** Hanging order of a role (id or label); unknown roles first. */
const roleOrder = (role: string): number => {
  const id = roleIdOf(role);
  return id && isImageRole(id) ? IMAGE_ROLES.indexOf(id) : -1;
};

/** Store a saved ROI's DICOM SEG to the PACS (once per source: asking again answers the earlier store). */
export async function storeRoiToPacs(
  deps: WritebackDeps,
  roiId: string,
  user: User,
  sourceId?: string,
): Promise<StoredToPacs> {
  const roi = await deps.prisma.roi.findUnique({
    where: { id: roiId },
    include: { series: { include: { study: true } } },
  });
  if (!roi) throw new NacError("NOT_FOUND", `ROI ${roiId} not found`);
  const { source, client } = await pacsClient(deps, sourceId);
  const prior = await deps.prisma.pacsStoredObject.findFirst({ where: { roiId, sourceId: source.id, kind: "seg" } });
  if (prior) return { kind: "seg", sourceId: source.id, sourceName: source.name, ...pick(prior), alreadyStored: true };
  const bytes = await deps.store.get(roi.maskStorageKey);
  const ds = parseDicom(bytes);
  const ids = {
    studyInstanceUid: ds.string("0020000D")!,
    seriesInstanceUid: ds.string("0020000E")!,
    sopInstanceUid: ds.string("00080018")!,
    sha256: sha256Hex(bytes),
  };
  await client.store([bytes], ids.studyInstanceUid);
  await deps.prisma.$transaction(async (tx) => {
    await tx.pacsStoredObject.create({ data: { sourceId: source.id, kind: "seg", roiId, ...ids, userId: user.id } });
    await recordAudit(tx, {
      action: "pacs.store",
      userId: user.id,
      username: user.username,
      patientId: roi.series.study.patientId,
      targetType: "roi",
      targetId: roiId,
      details: { kind: "seg", source: source.name, version: roi.version, ...ids },
    });
  });
  return { kind: "seg", sourceId: source.id, sourceName: source.name, ...ids, alreadyStored: false };
}

function pick(r: { studyInstanceUid: string; seriesInstanceUid: string; sopInstanceUid: string; sha256: string }) {
  return {
    studyInstanceUid: r.studyInstanceUid,
    seriesInstanceUid: r.seriesInstanceUid,
    sopInstanceUid: r.sopInstanceUid,
    sha256: r.sha256,
  };
}

interface PredictionRoiRef {
  role: string;
  seriesId: string;
  roiId: string;
  version: number;
}

/** The prediction's TID 1500 report (deterministic for a prediction), and the ROIs it references. */
export async function predictionReportSr(
  deps: { prisma: PrismaClient; store: FileStore },
  predictionId: string,
): Promise<{
  bytes: Uint8Array;
  patientId: string;
  roiIds: string[];
  studyInstanceUid: string;
  sopInstanceUid: string;
  seriesInstanceUid: string;
}> {
  const p = await deps.prisma.prediction.findUnique({ where: { id: predictionId }, include: { modelBundle: true } });
  if (!p) throw new NacError("NOT_FOUND", `prediction ${predictionId} not found`);
  const inputs = p.inputs as { rois?: PredictionRoiRef[] };
  const outputs = p.outputs as {
    endpoints: Record<
      "pcr" | "response",
      { probability: number; spread: { mean: number; sd: number; min: number; max: number; n: number } }
    >;
  };
  const refs = [...(inputs.rois ?? [])].sort((a, b) => roleOrder(a.role) - roleOrder(b.role));
  if (!refs.length)
    throw new NacError("MASK_EMPTY", "this prediction used no tumour ROI: there is no image region to report");
  const groups: SrRoiGroup[] = [];
  let primaryMeta: Awaited<ReturnType<typeof seriesMetadataOrThrow>> | null = null;
  for (const ref of refs) {
    const roi = await deps.prisma.roi.findUnique({ where: { id: ref.roiId } });
    if (!roi) throw new NacError("NOT_FOUND", `ROI ${ref.roiId} used by the prediction no longer exists`);
    const seg = parseDicom(await deps.store.get(roi.maskStorageKey));
    const meta = await seriesMetadataOrThrow(deps, ref.seriesId);
    primaryMeta ??= meta;
    const { mask } = await loadRoiMask(deps, roi.id);
    groups.push({
      trackingIdentifier: `${roleLabel(ref.role)} tumour ROI v${roi.version}`,
      trackingUid: uidFromKey(`nacpredict/roi/${roi.id}/tracking`),
      seg: {
        sopInstanceUid: seg.string("00080018")!,
        seriesInstanceUid: seg.string("0020000E")!,
        studyInstanceUid: seg.string("0020000D")!,
        segmentNumber: 1,
      },
      source: {
        studyInstanceUid: meta.studyInstanceUid!,
        seriesInstanceUid: meta.seriesInstanceUid,
        sopClassUid: meta.sopClassUid ?? "1.2.840.10008.5.1.4.1.1.4",
        sopInstanceUids: [...new Set(meta.sopInstanceUids)],
      },
      volumeMm3: roi.volumeMm3,
      longAxisMm: roiStats(mask).maxDiameter3dMm,
    });
  }
  const m = primaryMeta!;
  const sopInstanceUid = uidFromKey(`nacpredict/prediction/${p.id}/sr`);
  const seriesInstanceUid = uidFromKey(`nacpredict/prediction/${p.id}/sr-series`);
  const bytes = writeMeasurementReport({
    patientStudy: {
      patientName: m.patientName,
      patientId: m.patientId,
      patientBirthDate: m.patientBirthDate,
      patientSex: m.patientSex,
      studyInstanceUid: m.studyInstanceUid!,
      studyDate: m.studyDate,
      studyTime: m.studyTime,
      studyId: m.studyId,
      accessionNumber: m.accessionNumber,
      referringPhysicianName: m.referringPhysicianName,
    },
    rois: groups,
    endpoints: { pcr: outputs.endpoints.pcr, response: outputs.endpoints.response },
    model: { name: p.modelBundle.name, version: p.modelVersion },
    deviceObserverUid: uidFromKey("nacpredict/device-observer"),
    sopInstanceUid,
    seriesInstanceUid,
    date: p.createdAt,
  });
  return {
    bytes,
    patientId: p.patientId,
    roiIds: refs.map((r) => r.roiId),
    studyInstanceUid: m.studyInstanceUid!,
    sopInstanceUid,
    seriesInstanceUid,
  };
}

/** Store the prediction's report to the PACS, after the SEGs it references (stored first when they are not yet). */
export async function storePredictionToPacs(
  deps: WritebackDeps,
  predictionId: string,
  user: User,
  sourceId?: string,
): Promise<{ sr: StoredToPacs; segs: StoredToPacs[] }> {
  const report = await predictionReportSr(deps, predictionId);
  const { source, client } = await pacsClient(deps, sourceId);
  const segs: StoredToPacs[] = [];
  for (const roiId of report.roiIds) segs.push(await storeRoiToPacs(deps, roiId, user, source.id));
  const ids = {
    studyInstanceUid: report.studyInstanceUid,
    seriesInstanceUid: report.seriesInstanceUid,
    sopInstanceUid: report.sopInstanceUid,
    sha256: sha256Hex(report.bytes),
  };
  const prior = await deps.prisma.pacsStoredObject.findFirst({
    where: { predictionId, sourceId: source.id, kind: "sr" },
  });
  if (prior)
    return {
      sr: { kind: "sr", sourceId: source.id, sourceName: source.name, ...pick(prior), alreadyStored: true },
      segs,
    };
  await client.store([report.bytes], report.studyInstanceUid);
  await deps.prisma.$transaction(async (tx) => {
    await tx.pacsStoredObject.create({
      data: { sourceId: source.id, kind: "sr", predictionId, ...ids, userId: user.id },
    });
    await recordAudit(tx, {
      action: "pacs.store",
      userId: user.id,
      username: user.username,
      patientId: report.patientId,
      targetType: "prediction",
      targetId: predictionId,
      details: { kind: "sr", source: source.name, segs: segs.map((s) => s.sopInstanceUid), ...ids },
    });
  });
  return { sr: { kind: "sr", sourceId: source.id, sourceName: source.name, ...ids, alreadyStored: false }, segs };
}

/** What of a patient's results is in a PACS (for the viewer and the report page). */
export async function storedObjects(prisma: PrismaClient, where: { roiIds?: string[]; predictionIds?: string[] }) {
  return prisma.pacsStoredObject.findMany({
    where: { OR: [{ roiId: { in: where.roiIds ?? [] } }, { predictionId: { in: where.predictionIds ?? [] } }] },
    include: { source: { select: { name: true } } },
  });
}
