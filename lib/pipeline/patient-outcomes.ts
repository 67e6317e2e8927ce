/**
 * Recorded outcomes of patients (pCR, response), as the local track record reads them.
 * TODO(issue 13): outcomes-on-patients lands with the cohort branch. At merge the lead replaces the body of
 * `loadPatientOutcomes` with a read of those records (latest outcome per patient; pCR and response as 0/1, absent
 * when not recorded). Nothing else changes: the track record and the model card take this function's result.
 */
import type { PrismaClient } from "../../generated/prisma/client";
import type { PatientOutcome } from "../experiments/track-record";

export type { PatientOutcome };

export type OutcomeSource = (prisma: PrismaClient, patientIds: string[]) => Promise<PatientOutcome[]>;

export const loadPatientOutcomes: OutcomeSource = async () => [];
