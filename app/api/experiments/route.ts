import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { experimentStartedResponse } from "@/lib/api/schemas";
import { getPrisma } from "@/lib/db/prisma";
import { NacError } from "@/lib/errors";
import { kickExperimentRunner, submitExperiment } from "@/lib/pipeline/experiment/job";
import { listExperiments, tableStorageKey } from "@/lib/pipeline/experiment/experiments";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";

/** Experiments, newest first (status and progress; no patient data). */
export const GET = apiRoute({ permission: "research" }, async () => {
  const deps = { prisma: await getPrisma(), store: getFileStore() };
  kickExperimentRunner(deps); // picks up queued jobs left by a restart
  return { experiments: await listExperiments(deps) };
});

const Body = z
  .object({
    tableSha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** The uploaded file's name, kept as the table's source. */
    fileName: z.string().max(200).optional(),
    config: z.record(z.string(), z.unknown()),
  })
  .strict();

/** Starts an experiment on an uploaded feature table (POST /api/experiments/tables first). */
export const POST = apiRoute(
  { permission: "research", body: Body, response: experimentStartedResponse },
  async ({ body, user }) => {
    const deps = { prisma: await getPrisma(), store: getFileStore() };
    const key = tableStorageKey(body.tableSha256);
    if (!(await deps.store.exists(key)))
      throw new NacError("NOT_FOUND", "no uploaded feature table with this sha256: upload it first");
    const r = await submitExperiment(deps, {
      tableBytes: await deps.store.get(key),
      configInput: body.config,
      source: `file ${body.fileName ?? body.tableSha256.slice(0, 12)}`,
      actor: { id: user.id, username: user.username },
    });
    kickExperimentRunner(deps);
    return r;
  },
);
