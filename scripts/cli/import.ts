import { promises as fs } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { readServerConfig } from "../../lib/config/server-config";
import { openDatabase } from "../../lib/db/database";
// aliased: the name starts with "use", which ESLint's React hooks rule would take for a hook
import { useNodeCodecWasm as installNodeCodecWasm } from "../../lib/imaging/dicom/node/codec-wasm";
import { importDicomFiles, type ImportFile } from "../../lib/pipeline/import-dicom";
import { FileStore } from "../../lib/storage/file-store";

async function collect(p: string, out: string[]): Promise<void> {
  const st = await fs.stat(p);
  if (st.isDirectory()) {
    for (const name of (await fs.readdir(p)).sort()) await collect(path.join(p, name), out);
  } else out.push(p);
}

/** `nac import PATH...`: DICOM files or folders into the configured database and storage (server stopped if embedded). */
export function register(program: Command): void {
  program
    .command("import")
    .description("import DICOM files or folders (recursively) into the configured database and storage")
    .argument("<paths...>")
    .option("--synthetic", "mark new patients as synthetic (demo data)")
    .action(async (paths: string[], opts: { synthetic?: boolean }) => {
      installNodeCodecWasm();
      const files: string[] = [];
      for (const p of paths) await collect(path.resolve(p), files);
      const config = readServerConfig();
      const db = await openDatabase(config, { migrate: true });
      try {
        const input: ImportFile[] = await Promise.all(
          files.map(async (f) => ({ name: f, bytes: new Uint8Array(await fs.readFile(f)) })),
        );
        const report = await importDicomFiles({ prisma: db.prisma, store: new FileStore(config.storageDir) }, input, {
          synthetic: opts.synthetic,
          username: "cli",
        });
        console.log(
          JSON.stringify(
            { counts: report.counts, series: report.series, errors: report.files.filter((f) => f.status === "error") },
            null,
            2,
          ),
        );
      } finally {
        await db.close();
      }
    });
}
