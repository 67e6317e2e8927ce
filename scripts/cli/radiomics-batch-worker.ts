/** One batch worker thread: extracts the cases it is sent, one at a time (radiomics-batch.ts --jobs N). */
import { parentPort } from "node:worker_threads";
import { isNacError } from "../../lib/errors";
import type { SettingsInput } from "../../lib/radiomics/settings";
import { extractCase } from "./radiomics";

parentPort!.on("message", async (m: { image: string; mask: string; settings: SettingsInput; series?: string }) => {
  try {
    const r = await extractCase(m.image, m.mask, m.settings, m.series);
    parentPort!.postMessage({ ok: true, features: r.features, failures: r.failures });
  } catch (e) {
    parentPort!.postMessage({
      ok: false,
      code: isNacError(e) ? e.code : "INTERNAL",
      message: e instanceof Error ? e.message : String(e),
    });
  }
});
