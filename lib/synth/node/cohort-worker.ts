/** Worker thread of writeCohortParallel: generates and writes one patient per message. */
import { parentPort } from "node:worker_threads";
import { writePatient, type CohortJob, type CohortJobResult } from "./write-cohort";

parentPort?.on("message", (job: CohortJob) => {
  let result: CohortJobResult;
  try {
    const r = writePatient(job.seed, job.index, job.outDir, job.layout);
    result = { index: job.index, summary: r.summary, files: r.files, bytes: r.bytes };
  } catch (e) {
    result = { index: job.index, files: 0, bytes: 0, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(result);
});
