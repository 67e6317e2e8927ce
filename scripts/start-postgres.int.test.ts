import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../lib/db/database";
import { openTestDatabase, testBackend } from "../lib/db/test-database";

/**
 * Issue 16 item 3, black-box: the real start command (`npm start` = scripts/start.ts) against a PostgreSQL database,
 * as a hospital would run it, creates no demo account and prints no password; it is stopped once it hands over to
 * `next start` (or after 120 s, time enough for the demo accounts the code before #16 created first). PostgreSQL only:
 * on the embedded default demo content is the documented default.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100) + 11;

describe(`npm start against PostgreSQL (${testBackend()})`, () => {
  let db: Database & { url?: string };
  beforeAll(async () => {
    if (testBackend() === "postgres") db = await openTestDatabase();
  });
  afterAll(async () => db?.close());

  it.runIf(testBackend() === "postgres")(
    "creates no demo account unless asked and prints no password",
    async () => {
      const data = mkdtempSync(path.join(os.tmpdir(), "nac-start-pg-"));
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DATABASE_URL: db.url!,
        NAC_DATA_DIR: data,
        PORT: String(PORT),
        NEXT_TELEMETRY_DISABLED: "1",
      };
      delete env.NAC_DEMO;
      delete env.NEXTAUTH_SECRET;
      const child = spawn(process.execPath, ["node_modules/.bin/tsx", "scripts/start.ts"], {
        env,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (d) => (out += String(d)));
      child.stderr.on("data", (d) => (out += String(d)));
      const deadline = Date.now() + 120_000;
      let demoUsers = 0;
      try {
        while (Date.now() < deadline && !/NACpredict \(research use only\) on/.test(out) && child.exitCode === null) {
          demoUsers = await db.prisma.user
            .count({ where: { username: { in: ["admin", "radiologist", "oncologist", "researcher"] } } })
            .catch(() => 0);
          if (demoUsers) break;
          await new Promise((r) => setTimeout(r, 500));
        }
      } finally {
        if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
      }
      expect(demoUsers, out).toBe(0);
      expect(await db.prisma.user.count()).toBe(0);
      expect(out).toMatch(/NACpredict \(research use only\) on/);
      expect(out).not.toMatch(/admin-demo|password/i);
    },
    180_000,
  );
});
