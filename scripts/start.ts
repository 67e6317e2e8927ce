#!/usr/bin/env tsx
/**
 * `npm start`: prepares the embedded (or configured) deployment, then runs the Next.js production server.
 * 1. validates configuration and secrets; 2. applies pending database migrations; 3. demo accounts and data when the
 * configuration asks for them (scripts/start-prepare.ts), with a warning while demo accounts are enabled; 4. closes the
 * database (PGlite admits one process) and starts `next start` on NAC_BIND_ADDRESS (loopback by default).
 */
import { spawn } from "node:child_process";
import { readServerConfig } from "../lib/config/server-config";
import { openDatabase } from "../lib/db/database";
import { loadOrCreateDeidSalt, loadOrCreateSecret } from "../lib/config/secret";
import { FileStore } from "../lib/storage/file-store";
import { startupStorageCheck } from "../lib/pipeline/storage-check";
import { exitCodeOf } from "./exit-code";
import { prepareDemo } from "./prepare-demo";
import { prepareDeployment } from "./start-prepare";

async function main() {
  const config = readServerConfig();
  const secret = loadOrCreateSecret(config.dataDir);
  loadOrCreateDeidSalt(config.dataDir); // created (or carried over) before the first request needs it
  const db = await openDatabase(config, { migrate: true });
  try {
    const { report, temp, uploads } = await startupStorageCheck(
      { prisma: db.prisma, store: new FileStore(config.storageDir) },
      config.dataDir,
    );
    if (temp || uploads)
      console.log(`removed ${temp} temp file(s) and ${uploads} upload folder(s) left by interrupted writes`);
    if (report.removed)
      console.log(
        `removed ${report.removed} orphaned file(s) no database row names (an import interrupted before it committed)`,
      );
    if (report.missing.length)
      console.warn(
        `WARNING: ${report.missing.length} stored object(s) have no file; run \`npm run nac -- storage check\``,
      );
    await prepareDeployment(db, config, { demo: () => prepareDemo(db, config) });
  } finally {
    await db.close();
  }
  console.log(
    `Database: ${config.databaseUrl ? "PostgreSQL server (DATABASE_URL)" : `embedded PGlite in ${config.embeddedDbDir}`}`,
  );
  console.log(`Storage:  ${config.storageDir}`);
  const host = config.bindAddress.includes(":") ? `[${config.bindAddress}]` : config.bindAddress;
  console.log(
    `NACpredict (research use only) on http://${host}:${config.port}${config.bindAddress === "127.0.0.1" ? " (loopback only: see docs/SECURITY.md to expose it)" : ""}`,
  );
  const child = spawn(
    process.execPath,
    // Idle keep-alive connections stay open 65 s (Node's default is 5 s): longer than a reverse proxy's usual 60 s idle
    // timeout, so neither a proxy nor a client reusing a pooled connection meets one the server has just closed.
    [
      "node_modules/next/dist/bin/next",
      "start",
      "-p",
      String(config.port),
      "-H",
      config.bindAddress,
      "--keepAliveTimeout",
      "65000",
    ],
    {
      stdio: "inherit",
      env: {
        ...process.env,
        NEXTAUTH_SECRET: secret,
        NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${config.port}`,
        NEXT_TELEMETRY_DISABLED: "1",
      },
    },
  );
  const stop = (sig: NodeJS.Signals) => child.kill(sig);
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  // A server killed by a signal is a failure (128 + signal number, as a shell reports it), so a supervisor restarts
  // it; only our own forwarded SIGINT/SIGTERM stop is a clean exit.
  let stopping = false;
  process.on("SIGINT", () => (stopping = true));
  process.on("SIGTERM", () => (stopping = true));
  child.on("exit", (code, signal) => process.exit(exitCodeOf(code, signal, stopping)));
}

main().catch((e) => {
  console.error(`start failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
