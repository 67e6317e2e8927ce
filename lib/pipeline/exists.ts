import type { PrismaClient } from "../../generated/prisma/client";
import { NacError } from "../errors";

/** Cheap existence checks for routes that list a parent's children: an unknown parent is 404, not an empty list. */
export async function patientExistsOrThrow(prisma: PrismaClient, patientId: string): Promise<void> {
  if (!(await prisma.patient.findUnique({ where: { id: patientId }, select: { id: true } })))
    throw new NacError("NOT_FOUND", `patient ${patientId} not found`);
}

export async function seriesExistsOrThrow(prisma: PrismaClient, seriesId: string): Promise<void> {
  if (!(await prisma.series.findUnique({ where: { id: seriesId }, select: { id: true } })))
    throw new NacError("NOT_FOUND", `series ${seriesId} not found`);
}
