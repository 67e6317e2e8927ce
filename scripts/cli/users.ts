import { userInfo } from "node:os";
import type { Command } from "commander";
import { GRANTABLE, isPermission } from "../../lib/auth/permissions";
import { listUsers, resetPassword, setGrant, setUserDisabled, type Actor } from "../../lib/auth/user-admin";
import { readServerConfig } from "../../lib/config/server-config";
import { openDatabase, type Database } from "../../lib/db/database";
import { NacError } from "../../lib/errors";

/**
 * `nac users list|disable|enable|reset-password|grant|revoke` (`users create` is in db.ts). Each change is audited with
 * the operating-system user who ran it; disabling or resetting a password ends the account's sessions at once.
 * On the embedded default the server must be stopped (PGlite admits one process).
 */
function cliActor(): Actor {
  return { userId: null, username: `cli:${userInfo().username}` };
}

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(readServerConfig(), { migrate: true });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export function registerUserAdmin(users: Command): void {
  users
    .command("list")
    .description("accounts with role, state, grants and sign-in provider (JSON lines)")
    .action(() =>
      withDb(async (db) => {
        for (const u of await listUsers(db.prisma)) {
          console.log(
            JSON.stringify({
              username: u.username,
              role: u.role,
              displayName: u.displayName,
              disabled: !!u.disabledAt,
              grants: u.grants,
              provider: u.provider,
              demo: u.isDemo,
            }),
          );
        }
      }),
    );
  for (const [name, disabled] of [
    ["disable", true],
    ["enable", false],
  ] as const) {
    users
      .command(`${name} <username>`)
      .description(
        disabled ? "disable an account (its open sessions end on their next request)" : "enable a disabled account",
      )
      .action((username: string) =>
        withDb(async (db) =>
          console.log(JSON.stringify(await setUserDisabled(db.prisma, username, disabled, cliActor()))),
        ),
      );
  }
  users
    .command("reset-password <username>")
    .description(
      "set a new password (from --password-env, else a random one printed once); ends the account's sessions",
    )
    .option("--password-env <VAR>", "environment variable holding the new password")
    .action((username: string, opts: { passwordEnv?: string }) =>
      withDb(async (db) => {
        const given = opts.passwordEnv ? process.env[opts.passwordEnv] : undefined;
        if (opts.passwordEnv && !given)
          throw new NacError("BAD_REQUEST", `environment variable ${opts.passwordEnv} is empty`);
        const r = await resetPassword(db.prisma, username, cliActor(), given);
        console.log(JSON.stringify(given ? { username: r.username } : r));
      }),
    );
  for (const [name, granted] of [
    ["grant", true],
    ["revoke", false],
  ] as const) {
    users
      .command(`${name} <username> <permission>`)
      .description(`${granted ? "grant" : "revoke"} a permission beyond the role (${GRANTABLE.join(", ")})`)
      .action((username: string, permission: string) =>
        withDb(async (db) => {
          if (!isPermission(permission)) throw new NacError("BAD_REQUEST", `unknown permission ${permission}`);
          console.log(JSON.stringify(await setGrant(db.prisma, username, permission, granted, cliActor())));
        }),
      );
  }
}
