import type { Command } from "commander";
import { z } from "zod";
import { hashPassword } from "../../lib/auth/password";
import { ROLES } from "../../lib/auth/roles";
import { readServerConfig } from "../../lib/config/server-config";
import { openDatabase } from "../../lib/db/database";
import { migrate, readMigrations } from "../../lib/db/migrate";
import { PgliteExecutor, PostgresExecutor } from "../../lib/db/sql-executor";
import { NacError } from "../../lib/errors";
import { registerUserAdmin } from "./users";

/**
 * Database administration. On the embedded default these need the server stopped (PGlite admits one process).
 */
export function register(program: Command): void {
  const db = program.command("db").description("database administration");
  db.command("migrate")
    .description("apply pending SQL migrations (prisma/migrations) to the configured database")
    .action(async () => {
      const config = readServerConfig();
      const exec = config.databaseUrl
        ? await PostgresExecutor.open(config.databaseUrl)
        : await PgliteExecutor.open(config.embeddedDbDir);
      try {
        const { applied } = await migrate(exec);
        const all = await readMigrations();
        console.log(JSON.stringify({ applied, total: all.length }));
      } finally {
        await exec.close();
      }
    });

  const users = program.command("users").description("local accounts");
  users
    .command("create")
    .description("create an account; the password is read from the environment variable named by --password-env")
    .requiredOption("--username <name>")
    .requiredOption("--role <role>", ROLES.join("|"))
    .requiredOption("--display-name <name>")
    .option("--password-env <VAR>", "environment variable holding the password", "NAC_NEW_PASSWORD")
    .action(async (opts: { username: string; role: string; displayName: string; passwordEnv: string }) => {
      const parsed = z
        .object({
          username: z.string().regex(/^[a-z0-9._-]{3,40}$/, "3-40 characters: a-z 0-9 . _ -"),
          role: z.enum(ROLES),
          displayName: z.string().min(1).max(100),
          password: z.string().min(10, "at least 10 characters"),
        })
        .safeParse({ ...opts, password: process.env[opts.passwordEnv] ?? "" });
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw new NacError("VALIDATION_FAILED", `${i.path.join(".")}: ${i.message}`);
      }
      const database = await openDatabase(readServerConfig(), { migrate: true });
      try {
        const exists = await database.prisma.user.findUnique({ where: { username: parsed.data.username } });
        if (exists) throw new NacError("CONFLICT", `user ${parsed.data.username} already exists`);
        const u = await database.prisma.user.create({
          data: {
            username: parsed.data.username,
            role: parsed.data.role,
            displayName: parsed.data.displayName,
            passwordHash: await hashPassword(parsed.data.password),
          },
        });
        console.log(JSON.stringify({ id: u.id, username: u.username, role: u.role }));
      } finally {
        await database.close();
      }
    });
  registerUserAdmin(users);
}
