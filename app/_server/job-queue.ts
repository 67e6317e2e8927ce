import { readServerConfig } from "@/lib/config/server-config";
import { getDatabase } from "@/lib/db/prisma";
import { InProcessQueue } from "@/lib/jobs/in-process-queue";
import { openQueue } from "@/lib/jobs/open-queue";
import type { JobQueue } from "@/lib/jobs/queue";
import { JobRegistry } from "@/lib/jobs/registry";
import { EXTRACT_JOB, ExtractionWorker, openItems } from "@/lib/pipeline/cohort/extraction";
import { getFileStore } from "@/lib/storage/server-store";
import { registerPredictJob } from "@/lib/pipeline/predict/job";

/**
 * The web server's job queue. Embedded database: the in-process runner, working in this process (one job at a time by
 * default, NAC_SERVER_JOB_CONCURRENCY), re-enqueuing unfinished items on first use. PostgreSQL: pg-boss, used to send;
 * `nac worker` processes do the work, unless NAC_SERVER_WORKER=1 makes the server one of them.
 */
const g = globalThis as unknown as { __nacQueue?: Promise<JobQueue> };

export function getJobQueue(): Promise<JobQueue> {
  g.__nacQueue ??= (async () => {
    const config = readServerConfig();
    const db = await getDatabase();
    const deps = { prisma: db.prisma, store: getFileStore() };
    const registry = new JobRegistry();
    new ExtractionWorker(deps).register(registry);
    registerPredictJob(registry, deps);
    const queue = openQueue(config, registry);
    const concurrency = Number(process.env.NAC_SERVER_JOB_CONCURRENCY ?? 1) || 1;
    if (queue instanceof InProcessQueue) {
      await queue.work({ concurrency });
      const open = await openItems(deps);
      if (open.length)
        await queue.send(
          EXTRACT_JOB,
          open.map((itemId) => ({ itemId })),
        );
    } else if (process.env.NAC_SERVER_WORKER === "1") {
      await queue.work({ concurrency });
    }
    return queue;
  })();
  return g.__nacQueue;
}
