import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database";
import { openTestDatabase, testBackend } from "../db/test-database";
import { latestClinicalRecord, saveClinicalRecord } from "./clinical";

const valid = {
  ageYears: 47,
  menopausalStatus: "pre",
  er: "negative",
  pr: "negative",
  her2: "negative",
  ki67Percent: 60,
  grade: "3",
  histology: "IDC (NST)",
  cT: "cT2",
  cN: "cN0",
};

describe(`clinical records (${testBackend()})`, () => {
  let db: Database;
  let patientId: string;
  let user: { id: string; username: string };
  beforeAll(async () => {
    db = await openTestDatabase();
    patientId = (await db.prisma.patient.create({ data: { patientKey: "P1", displayName: "One" } })).id;
    const u = await db.prisma.user.create({
      data: { username: "onc", displayName: "Onc", role: "oncologist", passwordHash: "x" },
    });
    user = { id: u.id, username: u.username };
  });
  afterAll(async () => db?.close());

  it("versions every save, keeps the old ones, derives subtype and completeness, audits the changed fields", async () => {
    const v1 = await saveClinicalRecord(db.prisma, { patientId, values: valid, user });
    const v2 = await saveClinicalRecord(db.prisma, { patientId, values: { ...valid, ki67Percent: 70 }, user });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect((await latestClinicalRecord(db.prisma, patientId))!.values).toMatchObject({
      ki67Percent: 70,
      subtype: "TNBC",
      complete: true,
    });
    expect(await db.prisma.clinicalRecord.count({ where: { patientId } })).toBe(2);
    const audit = await db.prisma.auditEvent.findMany({ where: { action: "clinical.save" }, orderBy: { at: "asc" } });
    expect((audit[1].details as { changed: string[] }).changed).toEqual(["ki67Percent"]);
  });

  it("refuses an out-of-range value and stores nothing", async () => {
    await expect(
      saveClinicalRecord(db.prisma, { patientId, values: { ...valid, ageYears: 7 }, user }),
    ).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      message: "Age must be at least 18 years",
    });
    expect(await db.prisma.clinicalRecord.count({ where: { patientId } })).toBe(2);
  });
});
