/**
 * The feature table of a research cohort, for `nac experiment run --cohort NAME` and the experiments page.
 * TODO(issue 13): the cohort branch exports a cohort's feature table (CSV contract in docs/ARCHITECTURE.md); at merge
 * the lead replaces the body with that export (bytes of the CSV it writes, source = "cohort <name> <version>").
 * Everything downstream (hashing, storage, experiment) takes these bytes as they are.
 */
import type { PrismaClient } from "../../generated/prisma/client";
import { NacError } from "../errors";

export async function loadCohortFeatureTable(_deps: { prisma: PrismaClient }, cohortName: string): Promise<{ bytes: Uint8Array; source: string }> {
  throw new NacError("NOT_FOUND", `cohort "${cohortName}": research cohorts are not available in this build; pass --features FILE.csv`);
}
