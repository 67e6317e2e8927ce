import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/database";
import { openTestDatabase, testBackend } from "../../db/test-database";
import { FileStore } from "../../storage/file-store";
import { seedDemoPatients } from "../demo/seed";
import { boardCaseView } from "./case-view";
import { boardSessionInputSchema, createBoardSession, getBoardSessionOrThrow, updateBoardSession } from "./sessions";

/** Board sessions on a real (test) database: saved order, validation, one audited screen per case, identity limited. */
describe(`tumour-board sessions (${testBackend()})`, () => {
  let db: Database;
  let store: FileStore;
  let user: { id: string; username: string };
  let full: { id: string; displayName: string; patientKey: string };
  let none: { id: string; displayName: string; patientKey: string };

  beforeAll(async () => {
    db = await openTestDatabase();
    store = new FileStore(path.join(mkdtempSync(path.join(os.tmpdir(), "nac-board-")), "storage"));
    const u = await db.prisma.user.create({
      data: { username: "radiologist", displayName: "Rad", role: "radiologist", passwordHash: "x" },
    });
    user = { id: u.id, username: u.username };
    // Patient 0: ROIs on all three series; patient 5: none.
    await seedDemoPatients({ prisma: db.prisma, store }, { indices: [0, 5] });
    [full, none] = await db.prisma.patient.findMany({ orderBy: { patientKey: "asc" } });
  }, 600_000);
  afterAll(async () => {
    await db?.close();
  });

  it("refuses a duplicate or unknown patient and an empty title; keeps the order given; a rewrite replaces it", async () => {
    expect(
      boardSessionInputSchema.safeParse({
        title: "x",
        patientIds: [full.id, full.id],
        showName: true,
        showPatientKey: true,
      }).success,
    ).toBe(false);
    expect(
      boardSessionInputSchema.safeParse({ title: " ", patientIds: [full.id], showName: true, showPatientKey: true })
        .success,
    ).toBe(false);
    const unknown = "00000000-0000-4000-8000-000000000000";
    await expect(
      createBoardSession(db.prisma, user, { title: "t", patientIds: [unknown], showName: true, showPatientKey: true }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const s = await createBoardSession(db.prisma, user, {
      title: "Tuesday board",
      patientIds: [none.id, full.id],
      showName: true,
      showPatientKey: true,
    });
    expect((await getBoardSessionOrThrow(db.prisma, s.id)).patientIds).toEqual([none.id, full.id]);
    await updateBoardSession(db.prisma, user, s.id, {
      title: "Tuesday board",
      patientIds: [full.id, none.id],
      showName: false,
      showPatientKey: true,
    });
    expect(await getBoardSessionOrThrow(db.prisma, s.id)).toMatchObject({
      patientIds: [full.id, none.id],
      showName: false,
    });
    expect(
      await db.prisma.auditEvent.count({ where: { action: { in: ["board.create", "board.update"] }, targetId: s.id } }),
    ).toBe(2);
  });

  it("shows one case per screen with key images, measurements and only the identity the session allows; each shown case is audited", async () => {
    const s = await createBoardSession(db.prisma, user, {
      title: "Board",
      patientIds: [full.id, none.id],
      showName: false,
      showPatientKey: true,
    });
    const v = await boardCaseView({ prisma: db.prisma, store }, s.id, 0, user, { identified: true, salt: "salt" });
    expect(v.session).toMatchObject({ position: 0, count: 2, title: "Board" });
    expect(v.patient).toMatchObject({ id: full.id, displayName: null, patientKey: full.patientKey });
    expect(v.keyImages.map((k) => k.label)).toEqual(["CE-T1", "T2", "CT"]);
    for (const k of v.keyImages) {
      expect(Buffer.from(k.pngBase64!, "base64").subarray(1, 4).toString()).toBe("PNG");
      expect(k.volumeMl! * 1000).toBeCloseTo(
        (
          await db.prisma.roi.findFirstOrThrow({
            where: { series: { role: k.role as never, study: { patientId: full.id } } },
          })
        ).volumeMm3,
        6,
      );
      expect(k.longestDiameterMm).toBeGreaterThan(3);
    }
    expect(v.clinical?.summary.some((x) => /^Age: \d+ years$/.test(x))).toBe(true);
    expect(v.prediction).toBeNull();

    // Pseudonymised for a user without identified access, whatever the session allows.
    const second = await boardCaseView({ prisma: db.prisma, store }, s.id, 1, user, {
      identified: false,
      salt: "salt",
    });
    expect(second.patient.patientKey).toMatch(/^NAC-[0-9A-F]{10}$/);
    expect(second.keyImages.every((k) => k.absent === `no ${k.label} ROI`)).toBe(true);
    await expect(
      boardCaseView({ prisma: db.prisma, store }, s.id, 2, user, { identified: true, salt: "salt" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });

    const rows = await db.prisma.auditEvent.findMany({
      where: { action: "board.case_view", targetId: s.id },
      orderBy: { at: "asc" },
    });
    expect(rows.map((r) => [r.patientId, (r.details as { position: number }).position])).toEqual([
      [full.id, 0],
      [none.id, 1],
    ]);
  }, 300_000);
});
