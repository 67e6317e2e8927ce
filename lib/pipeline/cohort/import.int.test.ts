import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/database";
import { openTestDatabase, testBackend } from "../../db/test-database";
import { FileStore } from "../../storage/file-store";
import { writeCohort } from "../../synth/node/write-cohort";
import { patientIdFor } from "../../synth/patient-model";
import { importCohortFolder, validateCohortFolder, type CohortProblem } from "./import";
import { cohortOverview } from "./features";

/**
 * A generated 4-patient cohort (`demo generate --layout cohort`), broken in seven ways: the report names each problem
 * with its patient, file and reason; nothing is written until the valid part is confirmed; a second import adds nothing.
 */
const SEED = "cohort-import-test";
const pid = (i: number) => patientIdFor(SEED, i);

describe(`cohort import (${testBackend()})`, () => {
  let db: Database;
  let store: FileStore;
  let dir: string;
  let user: { id: string; username: string };

  beforeAll(async () => {
    db = await openTestDatabase();
    const tmp = mkdtempSync(path.join(os.tmpdir(), "nac-cohort-import-"));
    store = new FileStore(path.join(tmp, "storage"));
    dir = path.join(tmp, "cohort");
    writeCohort({ patients: 4, seed: SEED, outDir: dir, layout: "cohort", monteCarloPatients: 100 });
    const u = await db.prisma.user.create({
      data: { username: "researcher", displayName: "Res", role: "researcher", passwordHash: "x" },
    });
    user = { id: u.id, username: u.username };

    // Patient 1 (NIfTI ROIs): the CE-T1 ROI is the T2 one (other grid); a CT file of patient 0 among its CT images.
    copyFileSync(path.join(dir, pid(1), "roi/T2.nii.gz"), path.join(dir, pid(1), "roi/CE-T1.nii.gz"));
    copyFileSync(path.join(dir, pid(0), "CT/IM0001.dcm"), path.join(dir, pid(1), "CT/ZZ-stray.dcm"));
    // Patient 2: a CE-T1 file cut inside its pixel data, no CT ROI, and Ki-67 "high" in the CSV.
    const f = path.join(dir, pid(2), "CE-T1/IM0003.dcm");
    const bytes = readFileSync(f);
    writeFileSync(f, bytes.subarray(0, bytes.length - 4000));
    rmSync(path.join(dir, pid(2), "roi/CT.seg.dcm"));
    // Patient 3: no T2 series at all (incomplete, still importable).
    rmSync(path.join(dir, pid(3), "T2"), { recursive: true });
    const csvPath = path.join(dir, "clinical.csv");
    const lines = readFileSync(csvPath, "utf8").trimEnd().split("\n");
    const header = lines[0].split(",");
    const ki = header.indexOf("ki67Percent");
    const row2 = lines.findIndex((l) => l.startsWith(pid(2)));
    const cells = lines[row2].split(",");
    cells[ki] = "high";
    lines[row2] = cells.join(",");
    // Patient 1 twice in clinical.csv.
    lines.push(lines.find((l) => l.startsWith(pid(1)))!);
    writeFileSync(csvPath, lines.join("\n") + "\n");
    appendFileSync(path.join(dir, "notes.txt"), "stray file\n");
  }, 600_000); // generating and importing the cohort takes minutes on a loaded 2-core machine
  afterAll(async () => db?.close());

  const find = (ps: CohortProblem[], kind: string, patient: string) =>
    ps.filter((p) => p.kind === kind && p.patient === patient);

  it("names every problem with patient, file and reason, and writes nothing", async () => {
    const rep = await validateCohortFolder({ prisma: db.prisma, store }, dir);
    expect(rep.counts).toMatchObject({ patients: 4, valid: 1, incomplete: 1, invalid: 2 });
    const ps = rep.problems;
    expect(find(ps, "roi_geometry_mismatch", pid(1))[0]).toMatchObject({
      file: `${pid(1)}/roi/CE-T1.nii.gz`,
      severity: "error",
    });
    expect(find(ps, "patient_id_mismatch", pid(1))[0]).toMatchObject({ file: `${pid(1)}/CT/ZZ-stray.dcm` });
    expect(find(ps, "patient_id_mismatch", pid(1))[0].reason).toContain(pid(0));
    expect(find(ps, "duplicate_patient", pid(1))[0].file).toMatch(/^clinical\.csv:\d+$/);
    expect(find(ps, "unreadable_file", pid(2))[0]).toMatchObject({
      file: `${pid(2)}/CE-T1/IM0003.dcm`,
      severity: "error",
    });
    expect(find(ps, "missing_roi", pid(2))[0].reason).toContain("CT");
    const bad = find(ps, "bad_csv_value", pid(2))[0];
    expect(bad.reason).toContain("ki67Percent");
    expect(bad.reason).toContain('"high" is not a number');
    expect(find(ps, "missing_series", pid(3))[0]).toMatchObject({ severity: "incomplete" });
    expect(find(ps, "missing_series", pid(3))[0].reason).toContain("T2");
    expect(ps.some((p) => p.kind === "unexpected_file" && p.file === "notes.txt")).toBe(true);
    expect(rep.patients.find((p) => p.patientId === pid(0))!.problems).toEqual([]);
    expect(rep.patients.find((p) => p.patientId === pid(0))!.status).toBe("valid");

    // Not confirmed: refused, nothing written.
    await expect(
      importCohortFolder({ prisma: db.prisma, store }, dir, { name: "broken", user, validated: rep }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await db.prisma.patient.count()).toBe(0);
    expect(await db.prisma.cohort.count()).toBe(0);
    expect(await db.prisma.dicomInstance.count()).toBe(0);
    expect(existsSync(store.root) ? readdirSync(store.root) : []).toEqual([]); // not even the storage folder
  }, 600_000);

  it("imports the valid part when confirmed, with ROIs, clinical records and outcomes; a second import adds nothing", async () => {
    const { result } = await importCohortFolder({ prisma: db.prisma, store }, dir, {
      name: "broken",
      user,
      acceptValid: true,
    });
    expect(result.imported.map((p) => p.patientId).sort()).toEqual([pid(0), pid(3)]);
    expect(result.skipped.map((p) => p.patientId).sort()).toEqual([pid(1), pid(2)]);
    expect(await db.prisma.patient.count()).toBe(2);
    const p0 = result.imported.find((p) => p.patientId === pid(0))!;
    expect(p0).toMatchObject({ rois: 3, clinical: true, outcome: true });
    expect(await db.prisma.roi.count()).toBe(5); // 3 for patient 0, 2 for patient 3 (no T2)
    const o = await db.prisma.patientOutcome.findFirst({ where: { patientId: p0.dbPatientId } });
    expect([0, 1]).toContain(o!.pcr);
    expect(o!.source).toBe("synthetic generator (planted truth)");
    const roles = await db.prisma.series.findMany({
      where: { study: { patientId: p0.dbPatientId } },
      select: { role: true },
    });
    expect(roles.map((r) => r.role).sort()).toEqual(["CE_T1", "CT", "T2"]);

    const counts = async () => ({
      instances: await db.prisma.dicomInstance.count(),
      rois: await db.prisma.roi.count(),
      clinical: await db.prisma.clinicalRecord.count(),
      outcomes: await db.prisma.patientOutcome.count(),
      members: await db.prisma.cohortPatient.count(),
    });
    const before = await counts();
    const again = await importCohortFolder({ prisma: db.prisma, store }, dir, {
      name: "broken",
      user,
      acceptValid: true,
    });
    expect(again.result.imported.every((p) => p.instances === 0 && p.rois === 0 && !p.clinical && !p.outcome)).toBe(
      true,
    );
    expect(await counts()).toEqual(before);

    const ov = await cohortOverview(db.prisma, "broken", user);
    expect(ov.patients.map((p) => p.patientKey)).toEqual([pid(0), pid(3)]);
    expect(ov.patients[1].missing).toEqual(["T2 series"]);
    expect(await db.prisma.auditEvent.count({ where: { action: "cohort.view" } })).toBe(1);
    expect(await db.prisma.auditEvent.count({ where: { action: "outcome.save" } })).toBe(2);
  }, 600_000);
});
