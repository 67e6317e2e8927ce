import type { PrismaClient } from "../../generated/prisma/client";
import { NacError } from "../errors";

export interface SeriesImage {
  instanceId: string;
  /** 1-based frame for multi-frame instances, else 1 */
  frame: number;
}

export interface SeriesView {
  id: string;
  patientId: string;
  seriesInstanceUid: string;
  modality: string;
  role: string;
  roleSource: string;
  roleConfidence: number;
  description: string | null;
  frameOfReferenceUid: string | null;
  geometry: { dims: number[]; spacing: number[]; origin: number[]; direction: number[] };
  /** images in volume order (k = 0 .. n-1), exactly as the engines stack them */
  images: SeriesImage[];
}

export async function getSeriesViewOrThrow(prisma: PrismaClient, seriesId: string): Promise<SeriesView> {
  const s = await prisma.series.findUnique({ where: { id: seriesId }, include: { instances: true, study: true } });
  if (!s) throw new NacError("NOT_FOUND", `series ${seriesId} not found`);
  const g = s.geometry as {
    dims: number[];
    spacing: number[];
    origin: number[];
    direction: number[];
    volumeOrder?: string[];
    frameNumbers?: number[];
  };
  const bySop = new Map(s.instances.map((i) => [i.sopInstanceUid, i.id]));
  const order =
    g.volumeOrder ??
    [...s.instances].sort((a, b) => (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0)).map((i) => i.sopInstanceUid);
  const images = order.map((sop, k) => {
    const instanceId = bySop.get(sop);
    if (!instanceId)
      throw new NacError("INTERNAL", `series ${seriesId}: instance ${sop} listed in the volume order is not stored`);
    return { instanceId, frame: g.frameNumbers?.[k] ?? 1 };
  });
  return {
    id: s.id,
    patientId: s.study.patientId,
    seriesInstanceUid: s.seriesInstanceUid,
    modality: s.modality,
    role: s.role,
    roleSource: s.roleSource,
    roleConfidence: s.roleConfidence,
    description: s.description,
    frameOfReferenceUid: s.frameOfReferenceUid,
    geometry: { dims: g.dims, spacing: g.spacing, origin: g.origin, direction: g.direction },
    images,
  };
}

export async function getInstanceOrThrow(prisma: PrismaClient, instanceId: string) {
  const i = await prisma.dicomInstance.findUnique({
    where: { id: instanceId },
    include: {
      series: { select: { study: { select: { patientId: true, patient: { select: { patientKey: true } } } } } },
    },
  });
  if (!i) throw new NacError("NOT_FOUND", `image ${instanceId} not found`);
  return i;
}

/** The patient a series belongs to (for audit rows of reads that start from a series or ROI). */
export async function patientOfSeries(prisma: PrismaClient, seriesId: string): Promise<string | undefined> {
  const s = await prisma.series.findUnique({
    where: { id: seriesId },
    select: { study: { select: { patientId: true } } },
  });
  return s?.study.patientId;
}
