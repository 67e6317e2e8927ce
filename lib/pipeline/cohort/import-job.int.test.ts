import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/database";
import { openTestDatabase, testBackend } from "../../db/test-database";
import { FileStore } from "../../storage/file-store";
import { writeCohort } from "../../synth/node/write-cohort";
import { patientIdFor } from "../../synth/patient-model";
import { cohortImportJobView, startCohortImportJob, type CohortImportJobView } from "./import-job";

/**
 * The UI's cohort import as a background task: progress patient by patient through both phases, the report and the
 * import result at the end; a cohort with an invalid patient stops with the report and imports nothing unless the
 * valid part is accepted; another user does not see the job.
 */
const SEED = "cohort-import-job-test";

describe(`cohort import as a background job (${testBackend()})`, () => {
  let db: Database;
  let store: FileStore;
  let dir: string;
  let user: { id: string; username: string };
  let other: { id: string; username: string };

  beforeAll(async () => {
    db = await openTestDatabase();
    const tmp = mkdtempSync(path.join(os.tmpdir(), "nac-cohort-import-job-"));
    store = new FileStore(path.join(tmp, "storage"));
    dir = path.join(tmp, "cohort");
    writeCohort({ patients: 3, seed: SEED, outDir: dir, layout: "cohort", monteCarloPatients: 100 });
    const u = await db.prisma.user.create({
      data: { username: "researcher", displayName: "Res", role: "researcher", passwordHash: "x" },
    });
    user = { id: u.id, username: u.username };
    const o = await db.prisma.user.create({
      data: { username: "other", displayName: "Other", role: "researcher", passwordHash: "x" },
    });
    other = { id: o.id, username: o.username };
  }, 600_000);
  afterAll(async () => db?.close());

  async function follow(jobId: string): Promise<{ final: CohortImportJobView; seen: CohortImportJobView[] }> {
    const seen: CohortImportJobView[] = [];
    for (let i = 0; i < 6000; i++) {
      const v = (await cohortImportJobView(db.prisma, jobId, user.id))!;
      seen.push(v);
      if (v.status !== "running") return { final: v, seen };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("import job did not finish");
  }

  it("an invalid patient: the report, nothing imported; accepting the valid part imports the other two with progress", async () => {
    rmSync(path.join(dir, patientIdFor(SEED, 1), "CE-T1"), { recursive: true, force: true });
    rmSync(path.join(dir, patientIdFor(SEED, 1), "T2"), { recursive: true, force: true });
    rmSync(path.join(dir, patientIdFor(SEED, 1), "CT"), { recursive: true, force: true });
    const refused = await follow(
      (
        await startCohortImportJob(
          { prisma: db.prisma, store },
          { dir, folder: "c", name: "job-test", confirm: true, acceptValid: false, user },
        )
      ).jobId,
    );
    expect(refused.final.status).toBe("failed");
    expect(refused.final.error?.code).toBe("VALIDATION_FAILED");
    expect(refused.final.report?.counts).toMatchObject({ patients: 3, invalid: 1 });
    expect(await db.prisma.cohort.count({ where: { name: "job-test" } })).toBe(0);

    const { jobId } = await startCohortImportJob(
      { prisma: db.prisma, store },
      { dir, folder: "c", name: "job-test", confirm: true, acceptValid: true, user },
    );
    expect(await cohortImportJobView(db.prisma, jobId, other.id)).toBeNull();
    const { final, seen } = await follow(jobId);
    expect(final).toMatchObject({ status: "succeeded", phase: "finished", progress: 1, error: null });
    expect(final.imported?.imported.map((p) => p.patientId).sort()).toEqual(
      [patientIdFor(SEED, 0), patientIdFor(SEED, 2)].sort(),
    );
    expect(final.report?.dir).toBe("c");
    // progress never goes back, and the bar moved before the end
    const ps = seen.map((s) => s.progress);
    expect(ps.every((p, i) => i === 0 || p >= ps[i - 1])).toBe(true);
    expect(seen.some((s) => s.status === "running")).toBe(true);
    const row = await db.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(row).toMatchObject({ kind: "cohort-import", status: "succeeded", userId: user.id });
    expect(await db.prisma.cohortPatient.count({ where: { cohort: { name: "job-test" } } })).toBe(2);
  }, 900_000);
});
