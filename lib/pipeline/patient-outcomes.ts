/**
 * Recorded outcomes of patients (pCR, response), as the local track record reads them: the latest outcome version of
 * each patient (lib/pipeline/outcomes.ts), an endpoint left out when it was not recorded.
 */
import type { PrismaClient } from "../../generated/prisma/client";
import type { PatientOutcome } from "../experiments/track-record";

export type { PatientOutcome };

export type OutcomeSource = (prisma: PrismaClient, patientIds: string[]) => Promise<PatientOutcome[]>;

const binary = (v: number | null): 0 | 1 | undefined => (v === 0 || v === 1 ? v : undefined);

export const loadPatientOutcomes: OutcomeSource = async (prisma, patientIds) => {
  const rows = await prisma.patientOutcome.findMany({
    where: { patientId: { in: patientIds } },
    orderBy: { version: "desc" },
    distinct: ["patientId"],
  });
  return rows.map((r) => {
    const o: PatientOutcome = { patientId: r.patientId };
    const pCR = binary(r.pcr);
    const response = binary(r.response);
    if (pCR !== undefined) o.pCR = pCR;
    if (response !== undefined) o.response = response;
    return o;
  });
};
