/**
 * The feature table of a research cohort, for `nac experiment run --cohort NAME` and the experiments page: the CSV that
 * `nac cohort features` exports (contract in docs/ARCHITECTURE.md), of the cohort's latest extraction. An extraction
 * still running is refused rather than compared on a partial table. The export is audited (cohort.features_export).
 */
import type { PrismaClient } from "../../../generated/prisma/client";
import { NacError } from "../../errors";
import { cohortFeatureTable } from "../cohort/features";

export async function loadCohortFeatureTable(
  deps: { prisma: PrismaClient },
  cohortName: string,
  actor: { id: string | null; username: string },
): Promise<{ bytes: Uint8Array; source: string }> {
  const t = await cohortFeatureTable(deps.prisma, cohortName, { user: actor });
  if (t.pending > 0) {
    throw new NacError(
      "CONFLICT",
      `cohort "${cohortName}": extraction ${t.extractionId} has ${t.pending} item(s) still queued or running; wait for it (nac extract --cohort ${cohortName} --wait)`,
    );
  }
  return { bytes: new TextEncoder().encode(t.csv), source: `cohort ${cohortName} extraction ${t.extractionId}` };
}
