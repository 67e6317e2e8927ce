import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../db/database";
import { openTestDatabase, testBackend } from "../db/test-database";
import { auditSeriesImageRead, IMAGE_READ_WINDOW_MS, SeriesImageReadAuditor } from "./image-read-audit";

/**
 * Issue 16 item 2, "one row per series view, not per frame", under the viewer's real load: its frames arrive together.
 * Concurrent frame reads of one series view write one row, within a process and (PostgreSQL, where several server
 * processes may share the database) across processes; different series or users still get theirs; a read after the
 * window gets a new one.
 */
describe(`series image reads audited once per view under concurrency (${testBackend()})`, () => {
  let db: Database & { url?: string };
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => db?.close());

  const crossProcess = testBackend() === "postgres"; // as the route decides
  const read = (seriesId: string, userId = "u1", instanceId = "i0") => ({
    user: { id: userId, username: userId },
    seriesId,
    patientId: "p1",
    instanceId,
    sourceAddress: "10.0.0.9",
  });
  const rows = (seriesId: string, userId = "u1") =>
    db.prisma.auditEvent.count({ where: { action: "series.images_read", targetId: seriesId, userId } });

  it("40 frames of one view requested at once write one row", async () => {
    const auditor = new SeriesImageReadAuditor();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => auditor.record(db.prisma, read("s-burst", "u1", `i${i}`), { crossProcess })),
    );
    expect(await rows("s-burst")).toBe(1);
    // the rest of the view, later frames: still one
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => auditor.record(db.prisma, read("s-burst", "u1", `j${i}`), { crossProcess })),
    );
    expect(await rows("s-burst")).toBe(1);
  });

  it("the routes' shared auditor: a burst of frames of one view writes one row", async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        auditSeriesImageRead(db.prisma, read("s-route", "u3", `i${i}`), { crossProcess }),
      ),
    );
    expect(await rows("s-route", "u3")).toBe(1);
  });

  it("different series and different users at the same moment each get their row", async () => {
    const auditor = new SeriesImageReadAuditor();
    const jobs = [];
    for (const s of ["s-a", "s-b", "s-c"])
      for (const u of ["u1", "u2"])
        for (let i = 0; i < 8; i++) jobs.push(auditor.record(db.prisma, read(s, u, `i${i}`), { crossProcess }));
    await Promise.all(jobs);
    for (const s of ["s-a", "s-b", "s-c"]) for (const u of ["u1", "u2"]) expect(await rows(s, u), `${s} ${u}`).toBe(1);
  });

  it("a new view after the window gets a new row", async () => {
    const auditor = new SeriesImageReadAuditor();
    await auditor.record(db.prisma, read("s-late"), { crossProcess });
    const later = Date.now() + IMAGE_READ_WINDOW_MS + 60_000;
    await auditor.record(db.prisma, read("s-late"), { crossProcess, now: later });
    expect(await rows("s-late")).toBe(2);
    await Promise.all(
      Array.from({ length: 10 }, () => auditor.record(db.prisma, read("s-late"), { crossProcess, now: later + 1000 })),
    );
    expect(await rows("s-late")).toBe(2);
  });

  it.runIf(testBackend() === "postgres")(
    "two server processes on one PostgreSQL (own connections, own memo) reading the same view write one row",
    async () => {
      // PGlite admits one process: this case exists on PostgreSQL only.
      const other = await openDatabase({ databaseUrl: db.url!, embeddedDbDir: "" }, { migrate: false });
      try {
        for (let round = 0; round < 5; round++) {
          const a = new SeriesImageReadAuditor();
          const b = new SeriesImageReadAuditor();
          const s = `s-two-processes-${round}`;
          await Promise.all(
            Array.from({ length: 12 }, (_, i) =>
              i % 2
                ? a.record(db.prisma, read(s, "u1", `i${i}`), { crossProcess: true })
                : b.record(other.prisma, read(s, "u1", `i${i}`), { crossProcess: true }),
            ),
          );
          expect(await rows(s), `round ${round}`).toBe(1);
        }
      } finally {
        await other.close();
      }
    },
  );
});
