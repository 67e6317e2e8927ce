import type { Command } from "commander";
import { readServerConfig } from "../../lib/config/server-config";
import { openDatabase } from "../../lib/db/database";
import { checkStorage, summarizeStorageCheck } from "../../lib/pipeline/storage-check";
import { FileStore } from "../../lib/storage/file-store";

/**
 * `nac storage check [--repair]`: every stored object's file exists with its recorded sha256; files no row names are
 * listed (and removed with --repair). Exit status 3 when something is missing, corrupt or (without --repair) orphaned.
 * On the embedded database the server must be stopped (PGlite admits one process).
 */
export function register(program: Command): void {
  const storage = program.command("storage").description("stored files (DICOM, ROI masks, model bundles)");
  storage
    .command("check")
    .description("verify every row's file and its sha256; list files no row names")
    .option("--repair", "remove orphaned files (files no row names, under the prefixes of known tables)")
    .option("--no-hashes", "check existence only (fast; skips reading every file)")
    .option("--json", "print the full report as JSON")
    .action(async (opts: { repair?: boolean; hashes: boolean; json?: boolean }) => {
      const config = readServerConfig();
      const db = await openDatabase(config);
      try {
        const r = await checkStorage(
          { prisma: db.prisma, store: new FileStore(config.storageDir) },
          { hashes: opts.hashes, repair: !!opts.repair },
        );
        if (opts.json) console.log(JSON.stringify(r, null, 2));
        else {
          console.log(summarizeStorageCheck(r));
          const show = (label: string, items: string[]) => {
            for (const i of items.slice(0, 50)) console.log(`  ${label} ${i}`);
            if (items.length > 50) console.log(`  ... and ${items.length - 50} more ${label}`);
          };
          show(
            "missing",
            r.missing.map((m) => `${m.table} ${m.key}`),
          );
          show(
            "corrupt",
            r.corrupt.map((m) => `${m.table} ${m.key}`),
          );
          show(opts.repair ? "removed" : "orphan", r.orphans);
          show("unknown-prefix", r.unknown);
        }
        if (r.missing.length || r.corrupt.length || (!opts.repair && r.orphans.length)) process.exitCode = 3;
      } finally {
        await db.close();
      }
    });
}
