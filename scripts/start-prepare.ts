import type { ServerConfig } from "../lib/config/server-config";
import { DEMO_ACCOUNTS, enabledDemoAccounts, ensureDemoAccounts } from "../lib/auth/demo-accounts";
import type { Database } from "../lib/db/database";
import { FileStore } from "../lib/storage/file-store";

/**
 * What `npm start` does with the database open, before the server starts (split from scripts/start.ts for tests):
 * demo accounts only when the configuration asks for demo content (the embedded default, or NAC_DEMO=1), their
 * passwords printed only in the start that created them, a loud warning on every start while one is enabled with its
 * published password; temp files of interrupted writes removed; demo patients and bundle (`demo` callback).
 */
export async function prepareDeployment(
  db: Database,
  config: Pick<ServerConfig, "seedDemo" | "storageDir">,
  opts: { log?: (line: string) => void; demo?: () => Promise<void> } = {},
): Promise<{ demoAccountsCreated: string[]; demoAccountsEnabled: string[] }> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const created = config.seedDemo ? await ensureDemoAccounts(db.prisma) : [];
  if (created.length) {
    log("Demo accounts created (passwords shown this once; they are also in the README):");
    for (const a of DEMO_ACCOUNTS.filter((d) => created.includes(d.username)))
      log(`  ${a.role.padEnd(12)} username ${a.username.padEnd(12)} password ${a.password}`);
  }
  const swept = await new FileStore(config.storageDir).sweepTemp();
  if (swept) log(`removed ${swept} temp file(s) left by interrupted writes`);
  if (config.seedDemo && opts.demo) await opts.demo();
  const enabled = await enabledDemoAccounts(db.prisma);
  if (enabled.length) {
    const bar = "!".repeat(100);
    log(bar);
    log(`!! WARNING: demo account(s) ${enabled.join(", ")} are enabled with their published passwords.`);
    log("!! Anyone on the network can sign in with them. Before real patient data is used, disable them:");
    log(`!!   ${enabled.map((u) => `npm run nac -- users disable ${u}`).join("\n!!   ")}`);
    log(bar);
  }
  return { demoAccountsCreated: created, demoAccountsEnabled: enabled };
}
