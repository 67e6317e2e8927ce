/**
 * `nac cohort import|list|show|features`: research cohorts. Import validates first and writes nothing until
 * the valid part is confirmed (`--accept-valid` when some patients have problems).
 */
import { writeFileSync, renameSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { readServerConfig } from "../../lib/config/server-config";
import { openDatabase, type Database } from "../../lib/db/database";
import { NacError } from "../../lib/errors";
import {
  importCohortFolder,
  validateCohortFolder,
  type CohortValidationReport,
} from "../../lib/pipeline/cohort/import";
import { cohortFeatureTable, cohortOverview } from "../../lib/pipeline/cohort/features";
import { FileStore } from "../../lib/storage/file-store";

export async function withDatabase<T>(fn: (db: Database, store: FileStore) => Promise<T>): Promise<T> {
  const config = readServerConfig();
  const db = await openDatabase(config, { migrate: true });
  try {
    return await fn(db, new FileStore(config.storageDir));
  } finally {
    await db.close();
  }
}

/** The account the CLI acts as (audit trail, ROI and record authors). */
export async function cliUser(db: Database, username: string): Promise<{ id: string; username: string }> {
  const u = await db.prisma.user.findUnique({ where: { username } });
  if (!u || u.disabledAt)
    throw new NacError(
      "NOT_FOUND",
      `no active account "${username}" (choose one with --user; create it with \`nac users create\`)`,
    );
  return { id: u.id, username: u.username };
}

export function printReport(rep: CohortValidationReport): void {
  const c = rep.counts;
  process.stdout.write(
    `cohort folder ${rep.dir}: ${c.patients} patients: ${c.valid} valid, ${c.incomplete} incomplete, ${c.invalid} with errors; shell ${rep.settings.periMarginMm} mm (${rep.settings.periShellMode})\n`,
  );
  if (rep.problems.length) {
    process.stdout.write("severity    kind                   patient                     file  reason\n");
    for (const p of rep.problems)
      process.stdout.write(
        `${p.severity.padEnd(11)} ${p.kind.padEnd(22)} ${(p.patient ?? "-").padEnd(27)} ${p.file ?? "-"}  ${p.reason}\n`,
      );
  }
}

export function register(program: Command): void {
  const cohort = program
    .command("cohort")
    .description("Research cohorts: import a cohort folder, list, show, export the feature table");
  cohort
    .command("import")
    .description(
      "validate a cohort folder (layout in README) and import it; nothing is written while patients have problems unless --accept-valid",
    )
    .argument("<dir>")
    .requiredOption("--name <name>", "cohort name (a second import into the same name adds to it)")
    .option("--dry-run", "validate only: print the report, write nothing")
    .option("--accept-valid", "import the valid (and incomplete) patients, skip those with errors")
    .option("--user <username>", "account the import is recorded under", "researcher")
    .option("--json", "print the report and result as JSON")
    .action(
      async (
        dir: string,
        o: { name: string; dryRun?: boolean; acceptValid?: boolean; user: string; json?: boolean },
      ) => {
        await withDatabase(async (db, store) => {
          const deps = { prisma: db.prisma, store };
          const progress = (what: string) => (done: number, total: number) => {
            if (!o.json && (done % 10 === 0 || done === total)) process.stderr.write(`  ${what} ${done}/${total}\n`);
          };
          const report = await validateCohortFolder(deps, path.resolve(dir), { onPatient: progress("checked") });
          if (o.dryRun) {
            if (o.json) process.stdout.write(JSON.stringify({ report }, null, 2) + "\n");
            else printReport(report);
            return;
          }
          const user = await cliUser(db, o.user);
          try {
            const { result } = await importCohortFolder(deps, path.resolve(dir), {
              name: o.name,
              acceptValid: o.acceptValid,
              user,
              validated: report,
              onPatient: progress("imported"),
            });
            if (o.json) process.stdout.write(JSON.stringify({ report, result }, null, 2) + "\n");
            else {
              printReport(report);
              const added = result.imported.reduce((a, p) => a + p.instances, 0);
              const dup = result.imported.reduce((a, p) => a + p.duplicates, 0);
              process.stdout.write(
                `imported ${result.imported.length} patients into cohort "${result.name}" (${added} new images, ${dup} already stored; ${result.imported.reduce((a, p) => a + p.rois, 0)} new ROI versions); skipped ${result.skipped.length}\n`,
              );
            }
          } catch (e) {
            if (!o.json) printReport(report);
            else process.stdout.write(JSON.stringify({ report }, null, 2) + "\n");
            throw e;
          }
        });
      },
    );
  cohort
    .command("list")
    .description("cohorts with their patient counts")
    .action(async () => {
      await withDatabase(async (db) => {
        const rows = await db.prisma.cohort.findMany({
          orderBy: { name: "asc" },
          include: { _count: { select: { patients: true } } },
        });
        for (const r of rows)
          process.stdout.write(
            `${r.name}\t${r._count.patients} patients\tshell ${r.periMarginMm} mm ${r.periShellMode}\n`,
          );
      });
    });
  cohort
    .command("show")
    .description("patients of a cohort and what each has (series, ROIs, clinical record, outcome)")
    .argument("<name>")
    .option("--user <username>", "account the read is audited under", "researcher")
    .action(async (name: string, o: { user: string }) => {
      await withDatabase(async (db) => {
        const user = await cliUser(db, o.user);
        const ov = await cohortOverview(db.prisma, name, user);
        process.stdout.write(JSON.stringify(ov, null, 2) + "\n");
      });
    });
  cohort
    .command("features")
    .description(
      "export the cohort's feature table (one row per patient: ROLE.region.feature, clinical.<var>, pCR, response)",
    )
    .argument("<name>")
    .requiredOption("--out <file>", "CSV file to write")
    .option("--extraction <id>", "which extraction (default: the latest of the cohort)")
    .option("--user <username>", "account the export is audited under", "researcher")
    .action(async (name: string, o: { out: string; extraction?: string; user: string }) => {
      await withDatabase(async (db) => {
        const user = await cliUser(db, o.user);
        const t = await cohortFeatureTable(db.prisma, name, { extractionId: o.extraction, user });
        const tmp = `${o.out}.tmp-${process.pid}`;
        writeFileSync(tmp, t.csv);
        renameSync(tmp, o.out);
        process.stdout.write(
          `wrote ${t.rows} patients x ${t.columns} columns to ${o.out} (${t.missingCells} empty cells: features not extracted or not computable)\n`,
        );
      });
    });
}
