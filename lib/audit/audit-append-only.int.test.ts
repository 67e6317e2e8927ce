import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database";
import { openTestDatabase, testBackend } from "../db/test-database";
import { recordAudit } from "./audit-log";

/**
 * The audit log is append-only in the database itself, for the role the app connects with (the test connects as the
 * same role the app does: on PostgreSQL here a superuser, which a trigger still binds), whatever the app's code does.
 */
describe(`audit rows cannot be changed or deleted (${testBackend()})`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
    await recordAudit(db.prisma, {
      action: "patient.view",
      username: "rad",
      patientId: "p1",
      sourceAddress: "10.0.0.1",
    });
  });
  afterAll(async () => db?.close());
  const t = () => `"${db.schema}"."audit_events"`;

  it("refuses UPDATE, DELETE and TRUNCATE, through Prisma and raw SQL, and keeps the row as written", async () => {
    const row = await db.prisma.auditEvent.findFirstOrThrow();
    await expect(
      db.prisma.auditEvent.update({ where: { id: row.id }, data: { username: "someone-else" } }),
    ).rejects.toThrow(/append-only/);
    await expect(db.prisma.auditEvent.delete({ where: { id: row.id } })).rejects.toThrow(/append-only/);
    await expect(db.prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(db.prisma.$executeRawUnsafe(`UPDATE ${t()} SET patient_id = 'p2'`)).rejects.toThrow(/append-only/);
    await expect(db.prisma.$executeRawUnsafe(`DELETE FROM ${t()}`)).rejects.toThrow(/append-only/);
    await expect(db.prisma.$executeRawUnsafe(`TRUNCATE ${t()}`)).rejects.toThrow(/append-only/);
    expect(await db.prisma.auditEvent.findMany()).toEqual([row]);
  });

  it("still appends", async () => {
    await recordAudit(db.prisma, { action: "patient.list", username: "rad" });
    expect(await db.prisma.auditEvent.count()).toBe(2);
  });

  it("a user with audit rows can still be deleted (the rows keep the username and id)", async () => {
    const u = await db.prisma.user.create({
      data: { username: "gone", displayName: "Gone", role: "researcher", passwordHash: "x" },
    });
    await recordAudit(db.prisma, { action: "patient.list", userId: u.id, username: "gone" });
    await db.prisma.user.delete({ where: { id: u.id } });
    expect(await db.prisma.auditEvent.count({ where: { userId: u.id, username: "gone" } })).toBe(1);
  });
});
