/**
 * Batch feature extraction of a cohort: one extraction = the cohort's patients x roles x regions x
 * extractors, one `extraction_items` row and one queue job ("extract-block") per combination. A job computes its
 * block only if the content-hashed `feature_sets` cache does not already hold it, and only after claiming its item
 * with a lease (renewed while it computes), so that a job delivered twice (at-least-once queues) is computed once,
 * and a killed worker's item is taken over when its lease has run out.
 */
import { hostname } from "node:os";
import type { Prisma, PrismaClient } from "../../../generated/prisma/client";
import { IDENTIFIED_VIEW, patientKeyAsSeen, type PatientView } from "../../auth/patient-view";
import { recordAudit } from "../../audit/audit-log";
import {
  blockFor,
  caseSpecFor,
  COHORT_EXTRACTORS,
  extractionSpecHash,
  itemKeys,
  makeExtractionSpec,
  type CohortExtractor,
  type ExtractionSpec,
} from "../../cohort/extraction-spec";
import type { Backbone } from "../../deep/architecture";
import { openEncoder } from "../../deep/node/encoder";
import { defaultModelsDir, readManifest } from "../../deep/node/model-store";
import { modelEntry } from "../../deep/models";
import { isNacError, NacError } from "../../errors";
import type { Mask, Volume } from "../../imaging/volume";
import { RetryLater, type JobRegistry } from "../../jobs/registry";
import type { JobQueue } from "../../jobs/queue";
import type { FileStore } from "../../storage/file-store";
import {
  blockParameters,
  blockParametersHash,
  extractBlock,
  extractorId,
  extractorVersion,
  SeriesBlockWork,
  type CaseFeatureContext,
  type CaseFeatureSpec,
  type CaseRole,
  type FeatureBlock,
} from "../case-features";
import { featureSetContentHash, findFeatureSets, storeFeatureSet } from "../feature-cache";
import { loadRoiMask } from "../roi";
import { loadSeriesVolume } from "../series-volume";
import { roleLabel } from "../../imaging/series/roles";

export const EXTRACT_JOB = "extract-block";

export interface ExtractionDeps {
  prisma: PrismaClient;
  store: FileStore;
  modelsDir?: string;
  /** Intra-op threads of each encoder session (default 2; one per core shared by this process's jobs is the rule). */
  encoderThreads?: number;
}

export interface ExtractionHooks {
  /** Called when a block has been computed (before it is stored): tests count extractor calls with it. */
  onComputed?: (e: { itemId: string; contentHash: string; worker: string }) => void;
  onStored?: (e: { itemId: string; contentHash: string; worker: string }) => void;
}

/** Lease of a running item; renewed every third of it while the block computes. */
export function leaseSeconds(): number {
  const v = Number(process.env.NAC_EXTRACT_LEASE_SECONDS ?? 60);
  return Number.isFinite(v) && v >= 1 ? v : 60;
}

/**
 * One row per item: 5 310 for a 177-patient cohort with every extractor, which took 9 s on a loaded machine, past
 * Prisma's 5 s default for an interactive transaction.
 */
const START_TX_LIMITS = { maxWait: 60_000, timeout: 600_000 };

export async function startExtraction(
  deps: ExtractionDeps,
  queue: JobQueue | null,
  o: {
    cohort: string;
    extractors: CohortExtractor[];
    spec?: Partial<Parameters<typeof makeExtractionSpec>[0]>;
    user: { id: string | null; username: string };
  },
): Promise<{ extractionId: string; total: number; resumed: boolean; queued: number }> {
  const cohort = await deps.prisma.cohort.findUnique({ where: { name: o.cohort }, include: { patients: true } });
  if (!cohort) throw new NacError("NOT_FOUND", `cohort "${o.cohort}" not found`);
  if (!cohort.patients.length) throw new NacError("BAD_REQUEST", `cohort "${o.cohort}" has no patients`);
  const spec = makeExtractionSpec({
    periMarginMm: cohort.periMarginMm,
    periShellMode: cohort.periShellMode as ExtractionSpec["periShellMode"],
    extractors: o.extractors,
    ...(o.spec ?? {}),
  });
  const specHash = extractionSpecHash(spec);
  const patientIds = cohort.patients.map((p) => p.patientId).sort();
  const keys = itemKeys(spec);
  // Resume the latest extraction with the same settings (its finished items stay finished), else start one.
  const latest = await deps.prisma.extraction.findFirst({
    where: { cohortId: cohort.id, specHash },
    orderBy: { createdAt: "desc" },
  });
  let extractionId: string;
  let resumed = false;
  if (latest) {
    extractionId = latest.id;
    resumed = true;
    const have = new Set(
      (
        await deps.prisma.extractionItem.findMany({
          where: { extractionId },
          select: { patientId: true, role: true, region: true, extractor: true },
        })
      ).map((i) => `${i.patientId}|${i.role}|${i.region}|${i.extractor}`),
    );
    const add = patientIds.flatMap((patientId) =>
      keys
        .filter((k) => !have.has(`${patientId}|${k.role}|${k.region}|${k.extractor}`))
        .map((k) => ({ extractionId, patientId, ...k })),
    );
    if (add.length) await deps.prisma.extractionItem.createMany({ data: add });
    await deps.prisma.extraction.update({ where: { id: extractionId }, data: { total: have.size + add.length } });
  } else {
    extractionId = await deps.prisma.$transaction(async (tx) => {
      const e = await tx.extraction.create({
        data: {
          cohortId: cohort.id,
          spec: spec as unknown as Prisma.InputJsonValue,
          specHash,
          total: patientIds.length * keys.length,
          createdById: o.user.id,
        },
      });
      await tx.extractionItem.createMany({
        data: patientIds.flatMap((patientId) => keys.map((k) => ({ extractionId: e.id, patientId, ...k }))),
      });
      return e.id;
    }, START_TX_LIMITS);
  }
  const open = await deps.prisma.extractionItem.findMany({
    where: { extractionId, status: { in: ["queued", "running"] } },
    orderBy: [{ patientId: "asc" }, { role: "asc" }, { region: "asc" }, { extractor: "asc" }],
    select: { id: true },
  });
  if (queue && open.length)
    await queue.send(
      EXTRACT_JOB,
      open.map((i) => ({ itemId: i.id })),
    );
  await recordAudit(deps.prisma, {
    action: "extraction.start",
    userId: o.user.id,
    username: o.user.username,
    targetType: "extraction",
    targetId: extractionId,
    details: { cohort: cohort.name, extractors: spec.extractors, resumed, queued: open.length },
  });
  return { extractionId, total: patientIds.length * keys.length, resumed, queued: open.length };
}

/** Puts failed items of an extraction back on the queue. */
export async function retryFailed(deps: ExtractionDeps, queue: JobQueue | null, extractionId: string): Promise<number> {
  const failed = await deps.prisma.extractionItem.findMany({
    where: { extractionId, status: "failed" },
    select: { id: true },
  });
  if (!failed.length) return 0;
  await deps.prisma.extractionItem.updateMany({
    where: { id: { in: failed.map((f) => f.id) }, status: "failed" },
    data: { status: "queued", error: null, leaseUntil: null },
  });
  if (queue)
    await queue.send(
      EXTRACT_JOB,
      failed.map((f) => ({ itemId: f.id })),
    );
  return failed.length;
}

/** Unfinished items of every extraction (queued, or running with an expired lease): re-enqueued by the in-process runner on start. */
export async function openItems(deps: ExtractionDeps): Promise<string[]> {
  const rows = await deps.prisma.extractionItem.findMany({
    where: { OR: [{ status: "queued" }, { status: "running", leaseUntil: { lt: new Date() } }] },
    orderBy: [{ extractionId: "asc" }, { patientId: "asc" }, { role: "asc" }],
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

export interface ExtractionProgress {
  extractionId: string;
  cohort: string;
  extractors: string[];
  total: number;
  done: number;
  cached: number;
  absent: number;
  failed: number;
  running: number;
  queued: number;
  /** Items finished per minute over the last 5 minutes (null before two have finished). */
  ratePerMinute: number | null;
  etaSeconds: number | null;
  failures: { itemId: string; patientKey: string; role: string; region: string; extractor: string; error: string }[];
  createdAt: string;
}

/** `view`: failures name patients as this reader may see them (pseudonyms for a researcher without identified access). */
export async function extractionProgress(
  prisma: PrismaClient,
  extractionId: string,
  view: PatientView = IDENTIFIED_VIEW,
): Promise<ExtractionProgress> {
  const e = await prisma.extraction.findUnique({ where: { id: extractionId }, include: { cohort: true } });
  if (!e) throw new NacError("NOT_FOUND", `extraction ${extractionId} not found`);
  const groups = await prisma.extractionItem.groupBy({
    by: ["status", "cached"],
    where: { extractionId },
    _count: { _all: true },
  });
  const count = (s: string, cached?: boolean) =>
    groups
      .filter((g) => g.status === s && (cached === undefined || g.cached === cached))
      .reduce((a, g) => a + g._count._all, 0);
  const since = new Date(Date.now() - 5 * 60_000);
  const recent = await prisma.extractionItem.findMany({
    where: { extractionId, finishedAt: { gte: since }, status: { in: ["done", "failed", "absent"] } },
    select: { finishedAt: true },
    orderBy: { finishedAt: "asc" },
  });
  let rate: number | null = null;
  if (recent.length >= 2) {
    const span = (Date.now() - +recent[0].finishedAt!) / 60_000;
    rate = span > 0 ? recent.length / span : null;
  }
  const failedRows = await prisma.extractionItem.findMany({
    where: { extractionId, status: "failed" },
    take: 200,
    orderBy: { finishedAt: "asc" },
  });
  const patients = new Map(
    (
      await prisma.patient.findMany({
        where: { id: { in: [...new Set(failedRows.map((f) => f.patientId))] } },
        select: { id: true, patientKey: true },
      })
    ).map((p) => [p.id, p.patientKey]),
  );
  const done = count("done");
  const failed = count("failed");
  const absent = count("absent");
  const remaining = e.total - done - failed - absent;
  return {
    extractionId,
    cohort: e.cohort.name,
    extractors: (e.spec as unknown as ExtractionSpec).extractors,
    total: e.total,
    done,
    cached: count("done", true),
    absent,
    failed,
    running: count("running"),
    queued: count("queued"),
    ratePerMinute: rate,
    etaSeconds: rate && remaining > 0 ? Math.round((remaining / rate) * 60) : remaining === 0 ? 0 : null,
    failures: failedRows.map((f) => {
      const key = patients.get(f.patientId);
      const seen = key === undefined ? f.patientId : patientKeyAsSeen(key, view);
      // an engine's message could quote the site ID: it is replaced as the key is
      const error = key !== undefined && key !== seen ? (f.error ?? "").split(key).join(seen) : (f.error ?? "");
      return { itemId: f.id, patientKey: seen, role: f.role, region: f.region, extractor: f.extractor, error };
    }),
    createdAt: e.createdAt.toISOString(),
  };
}

/** Small per-process cache of the last volumes and masks: the items of one series follow each other on the queue. */
class RecentCache<T> {
  private readonly m = new Map<string, Promise<T>>();
  constructor(private readonly size: number) {}
  get(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.m.get(key);
    if (p) {
      this.m.delete(key);
      this.m.set(key, p);
      return p;
    }
    p = load();
    p.catch(() => this.m.delete(key));
    this.m.set(key, p);
    while (this.m.size > this.size) this.m.delete(this.m.keys().next().value!);
    return p;
  }
}

/** An item ready to compute: its block, settings and cache key. */
interface PlannedItem {
  id: string;
  region: string;
  extractor: CohortExtractor;
  block: FeatureBlock;
  cs: CaseFeatureSpec;
  modelSha: string | undefined;
  extractorName: string;
  version: string;
  parametersHash: string;
  contentHash: string;
}

type Outcome = "done" | "cached" | "absent" | "failed" | "finished-before";

export class ExtractionWorker {
  private readonly volumes = new RecentCache<Volume>(3);
  private readonly masks = new RecentCache<Mask>(6);

  constructor(
    private readonly deps: ExtractionDeps,
    private readonly hooks: ExtractionHooks = {},
  ) {}

  register(registry: JobRegistry): void {
    registry.register<{ itemId: string }>(
      EXTRACT_JOB,
      async (p, ctx) => void (await this.process(p.itemId, ctx.worker)),
      {
        // long enough for a patient's series (all its items, see process) on a loaded machine; a killed worker's job comes back after this
        expireInSeconds: Number(process.env.NAC_EXTRACT_EXPIRE_SECONDS ?? 900),
        retryLimit: 50,
        retryDelaySeconds: Number(process.env.NAC_EXTRACT_RETRY_DELAY_SECONDS ?? 5),
      },
    );
  }

  /**
   * Processes one item; returns what happened to it (tests and the bench read it). The item's still-queued siblings
   * (same extraction, patient and series role: the other regions and extractors) are claimed with it and computed in
   * the same pass, so that the series and ROI are loaded, the shell built and each region's encoder input prepared once
   * instead of once per item (results are the same: each item is still its own block, cache key and row). Their own
   * jobs then find them finished (or, while this worker holds them, retry later).
   */
  async process(itemId: string, worker = `${hostname()}:${process.pid}`): Promise<Outcome> {
    const { prisma } = this.deps;
    const item = await prisma.extractionItem.findUnique({ where: { id: itemId }, include: { extraction: true } });
    if (!item) return "finished-before"; // extraction deleted
    if (item.status === "done" || item.status === "absent") return "finished-before";
    // Held under a live lease (typically claimed with its series by another worker): retry later without the series
    // queries below; the claim further down decides in every other case.
    if (item.status === "running" && item.leaseUntil && item.leaseUntil > new Date())
      throw new RetryLater(`item ${itemId} is being computed by ${item.worker}`);
    const spec = item.extraction.spec as unknown as ExtractionSpec;
    const role = item.role as CaseRole;
    const finish = (id: string, data: Prisma.ExtractionItemUpdateManyMutationInput) =>
      prisma.extractionItem.updateMany({ where: { id }, data: { ...data, finishedAt: new Date(), leaseUntil: null } });

    // Same series and ROI choice as Predict: the most recently imported series of the role, its latest ROI.
    const series = await prisma.series.findFirst({
      where: { role, study: { patientId: item.patientId } },
      orderBy: { createdAt: "desc" },
      include: { instances: true },
    });
    if (!series) {
      await finish(itemId, { status: "absent", error: `no ${roleLabel(role)} series` });
      return "absent";
    }
    const roi = await prisma.roi.findFirst({ where: { seriesId: series.id }, orderBy: { version: "desc" } });
    if (!roi) {
      await finish(itemId, { status: "absent", error: `no tumour ROI on the ${roleLabel(role)} series` });
      return "absent";
    }
    const order = (series.geometry as { volumeOrder?: string[] }).volumeOrder;
    const shaBySop = new Map(series.instances.map((i) => [i.sopInstanceUid, i.sha256]));
    const imageSha256s = order
      ? order.map((sop) => shaBySop.get(sop) ?? `missing:${sop}`)
      : series.instances.map((i) => i.sha256).sort();
    const manifest = (() => {
      let m: ReturnType<typeof readManifest> | undefined;
      return () => (m ??= readManifest(this.deps.modelsDir ?? defaultModelsDir()));
    })();
    const plan = (it: { id: string; role: string; region: string; extractor: string }): PlannedItem => {
      const extractor = it.extractor as CohortExtractor;
      const cs = caseSpecFor(spec, extractor);
      const block = blockFor(it);
      const modelSha = block.extractor === "deep" ? modelEntry(manifest(), extractor as Backbone).sha256 : undefined;
      const parametersHash = blockParametersHash(block, cs, modelSha);
      const extractorName = extractorId(block, cs);
      const version = extractorVersion(block);
      const contentHash = featureSetContentHash({
        imageSha256s,
        maskSha256: roi.maskSha256,
        block,
        extractor: extractorName,
        extractorVersion: version,
        parametersHash,
      });
      return {
        id: it.id,
        region: it.region,
        extractor,
        block,
        cs,
        modelSha,
        extractorName,
        version,
        parametersHash,
        contentHash,
      };
    };
    /** Finishes a planned item from the cache when its block is stored already (its outcome), else null. */
    const fromCache = async (p: PlannedItem): Promise<"cached" | "failed" | null> => {
      const hit = (await findFeatureSets(prisma, [p.contentHash])).get(p.contentHash);
      if (!hit) return null;
      const failure = hit.result.failures["*"];
      await finish(p.id, {
        status: failure ? "failed" : "done",
        cached: true,
        contentHash: p.contentHash,
        featureSetId: hit.id,
        error: failure ?? null,
      });
      return failure ? "failed" : "cached";
    };

    let first: PlannedItem;
    try {
      first = plan(item);
    } catch (e) {
      await finish(itemId, { status: "failed", error: describe(e) });
      return "failed";
    }
    const cachedFirst = await fromCache(first);
    if (cachedFirst) return cachedFirst;

    // Claim: queued/failed, or running under an expired lease (its worker died). Anything else: another worker has it.
    const lease = leaseSeconds();
    const claim = async (p: PlannedItem, statuses: string[]): Promise<boolean> => {
      const now = new Date();
      const r = await prisma.extractionItem.updateMany({
        where: {
          id: p.id,
          OR: [
            { status: { in: statuses } },
            { status: "running", leaseUntil: { lt: now } },
            { status: "running", leaseUntil: null },
          ],
        },
        data: {
          status: "running",
          worker,
          leaseUntil: new Date(now.getTime() + lease * 1000),
          startedAt: now,
          attempts: { increment: 1 },
          contentHash: p.contentHash,
        },
      });
      return r.count === 1;
    };
    if (!(await claim(first, ["queued", "failed"]))) {
      const again = await prisma.extractionItem.findUnique({ where: { id: itemId } });
      if (!again || again.status === "done" || again.status === "absent") return "finished-before";
      throw new RetryLater(`item ${itemId} is being computed by ${again.worker}`);
    }
    const group: PlannedItem[] = [first];
    // Siblings still waiting (never a failed one: those wait for an explicit retry), in the queue's order.
    const siblings = await prisma.extractionItem.findMany({
      where: {
        extractionId: item.extractionId,
        patientId: item.patientId,
        role: item.role,
        id: { not: itemId },
        OR: [{ status: "queued" }, { status: "running", leaseUntil: { lt: new Date() } }],
      },
      orderBy: [{ region: "asc" }, { extractor: "asc" }],
    });
    for (const sib of siblings) {
      let p: PlannedItem;
      try {
        p = plan(sib);
      } catch {
        continue; // its own job records the failure
      }
      if (await fromCache(p)) continue;
      if (await claim(p, ["queued"])) group.push(p);
    }
    const ids = group.map((p) => p.id);
    const beat = setInterval(
      () => {
        void prisma.extractionItem
          .updateMany({
            where: { id: { in: ids }, worker, status: "running" },
            data: { leaseUntil: new Date(Date.now() + lease * 1000) },
          })
          .catch(() => {});
      },
      Math.max(500, (lease * 1000) / 3),
    );
    const outcomes = new Map<string, Outcome>();
    try {
      let work: SeriesBlockWork | null = null;
      // region by region, so that one region's masks and encoder inputs are in hand for all its extractors
      group.sort((a, b) =>
        a.region === b.region
          ? COHORT_EXTRACTORS.indexOf(a.extractor) - COHORT_EXTRACTORS.indexOf(b.extractor)
          : a.region < b.region
            ? -1
            : 1,
      );
      for (const p of group) {
        const t0 = performance.now();
        try {
          if (!work) {
            const volume = await this.volumes.get(series.id, () => loadSeriesVolume(this.deps, series.id));
            const mask = await this.masks.get(roi.id, async () => (await loadRoiMask(this.deps, roi.id)).mask);
            work = new SeriesBlockWork(volume, mask);
          }
          const ctx: CaseFeatureContext = { shared: work };
          if (p.block.extractor === "deep")
            ctx.deepSessions = {
              [p.extractor]: await openEncoder(p.extractor as Backbone, {
                dir: this.deps.modelsDir,
                threads: this.deps.encoderThreads,
              }),
            };
          const result = await extractBlock(work.volume, work.tumour, p.block, p.cs, ctx);
          this.hooks.onComputed?.({ itemId: p.id, contentHash: p.contentHash, worker });
          const featureSetId = await storeFeatureSet(prisma, {
            contentHash: p.contentHash,
            seriesId: series.id,
            roiId: roi.id,
            block: p.block,
            extractor: p.extractorName,
            extractorVersion: p.version,
            parametersHash: p.parametersHash,
            parameters: blockParameters(p.block, p.cs, p.modelSha),
            result,
          });
          this.hooks.onStored?.({ itemId: p.id, contentHash: p.contentHash, worker });
          const failure = result.failures["*"];
          await finish(p.id, {
            status: failure ? "failed" : "done",
            featureSetId,
            error: failure ?? null,
            ms: Math.round(performance.now() - t0),
            worker,
          });
          outcomes.set(p.id, failure ? "failed" : "done");
        } catch (e) {
          await finish(p.id, { status: "failed", error: describe(e), ms: Math.round(performance.now() - t0) });
          outcomes.set(p.id, "failed");
        }
      }
    } finally {
      clearInterval(beat);
    }
    return outcomes.get(itemId) ?? "failed";
  }
}

function describe(e: unknown): string {
  return isNacError(e) ? `${e.code}: ${e.message}` : `INTERNAL: ${(e as Error).message}`;
}
