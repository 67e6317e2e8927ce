import { userInfo } from "node:os";
import type { Command } from "commander";
import { readServerConfig } from "../../lib/config/server-config";
import { openDatabase } from "../../lib/db/database";
import { NacError } from "../../lib/errors";
import { verifyPrediction, type VerifyResult } from "../../lib/pipeline/predict/verify";
import { FileStore } from "../../lib/storage/file-store";

/**
 * `nac prediction verify ID... | --all`: recompute stored predictions from their stored inputs and report, per
 * prediction, "identical" or the first difference (lib/pipeline/predict/verify.ts). Exit status 3 when any differs.
 * On the embedded database the server must be stopped (PGlite admits one process).
 */
export function register(program: Command): void {
  const prediction = program.command("prediction").description("stored predictions");
  prediction
    .command("verify")
    .description(
      "recompute stored predictions from their stored inputs; report bit-for-bit equality or the first difference",
    )
    .argument("[ids...]", "prediction ids")
    .option("--all", "every stored prediction, oldest first")
    .option("--json", "print the results as JSON")
    .action(async (ids: string[], opts: { all?: boolean; json?: boolean }) => {
      if (!opts.all && ids.length === 0) throw new NacError("BAD_REQUEST", "give prediction ids or --all");
      const config = readServerConfig();
      const db = await openDatabase(config);
      try {
        const deps = { prisma: db.prisma, store: new FileStore(config.storageDir) };
        const todo = opts.all
          ? (await db.prisma.prediction.findMany({ select: { id: true }, orderBy: { createdAt: "asc" } })).map(
              (p) => p.id,
            )
          : ids;
        const results: VerifyResult[] = [];
        for (const id of todo) {
          const r = await verifyPrediction(deps, id, { actor: `cli:${userInfo().username}` });
          results.push(r);
          if (!opts.json) console.log(`${id} ${r.identical ? "identical" : `DIFFERS: ${r.firstDifference}`}`);
        }
        const differing = results.filter((r) => !r.identical).length;
        if (opts.json) console.log(JSON.stringify({ verified: results.length, differing, results }, null, 2));
        else
          console.log(
            `${results.length} prediction(s) verified: ${results.length - differing} identical, ${differing} differ`,
          );
        if (differing) process.exitCode = 3;
      } finally {
        await db.close();
      }
    });
}
