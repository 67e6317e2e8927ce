/**
 * Import of PACS studies into local storage, through the same pipeline as dropped files (the series
 * classifier assigns CE-T1 / T2 / CT; duplicates by SOP Instance UID are skipped).
 *
 * Resumable and never half-visible: each instance is fetched (WADO-RS, as stored) into a staging folder of the import
 * (`<stagingDir>/<importId>/<SOP UID>.dcm`, written atomically); only when every instance of the studies is there, and
 * every one parses and decodes, are they handed to importDicomFiles. A PACS that stops answering in the middle leaves a
 * `failed` import with its staged files and nothing in the worklist; running it again fetches only what is missing.
 * Instances already stored locally are not fetched at all (a second import of the same study adds nothing).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Prisma } from "../../../generated/prisma/client";
import { recordAudit } from "../../audit/audit-log";
import { isNacError, NacError } from "../../errors";
import { decodePixelData, parseDicom } from "../../imaging/dicom";
// aliased: the name starts with "use", which ESLint's React hooks rule would take for a hook
import { useNodeCodecWasm as installNodeCodecWasm } from "../../imaging/dicom/node/codec-wasm";
import { assertUid } from "../../pacs/dicomweb-client";
import type { FileStore } from "../../storage/file-store";
import { importDicomFiles, type ImportedSeries } from "../import-dicom";
import { pacsClient, type PacsDeps } from "./sources";

export interface PacsImportDeps extends PacsDeps {
  store: FileStore;
  /** where fetched instances wait until the whole study is there (e.g. $NAC_DATA_DIR/pacs-staging) */
  stagingDir: string;
  /** instances fetched at once */
  concurrency?: number;
}

export type PacsImportStatus = "queued" | "fetching" | "importing" | "succeeded" | "failed";

export interface PacsImportView {
  id: string;
  sourceId: string;
  studyUids: string[];
  status: PacsImportStatus;
  total: number;
  fetched: number;
  skipped: number;
  imported: number;
  attempts: number;
  error: { code: string; message: string } | null;
  series: ImportedSeries[];
  patientIds: string[];
  resumable: boolean;
  updatedAt: string;
}

/** Non-image objects NACpredict itself writes back (SEG, SR): never fetched by an import. */
const SKIPPED_SOP_CLASS = /^1\.2\.840\.10008\.5\.1\.4\.1\.1\.(66\.4|88\.\d+|481\.3)$/;

/** Imports running in this process (a row left "fetching" by a killed process is resumable). */
const running = new Set<string>();

type ImportRow = NonNullable<Awaited<ReturnType<PacsDeps["prisma"]["pacsImport"]["findUnique"]>>>;

export function viewOf(row: ImportRow): PacsImportView {
  const result = (row.result ?? {}) as { series?: ImportedSeries[]; patientIds?: string[] };
  const status = row.status as PacsImportStatus;
  return {
    id: row.id,
    sourceId: row.sourceId,
    studyUids: row.studyUids as string[],
    status,
    total: row.total,
    fetched: row.fetched,
    skipped: row.skipped,
    imported: row.imported,
    attempts: row.attempts,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? "" } : null,
    series: result.series ?? [],
    patientIds: result.patientIds ?? [],
    resumable:
      status === "failed" ||
      (!running.has(row.id) && (status === "fetching" || status === "importing" || status === "queued")),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * An import of these studies: the unfinished one of the same studies and source when there is one (so asking again
 * resumes it), else a new one. Does not run it (runPacsImport).
 */
export async function createOrResumePacsImport(
  deps: PacsDeps,
  input: { sourceId?: string; studyUids: string[]; user: { id: string | null; username: string } },
): Promise<PacsImportView> {
  if (!input.studyUids.length) throw new NacError("VALIDATION_FAILED", "choose at least one study");
  const studyUids = [...new Set(input.studyUids.map((u) => assertUid(u, "study UID")))].sort();
  const { source } = await pacsClient(deps, input.sourceId);
  const open = await deps.prisma.pacsImport.findMany({
    where: { sourceId: source.id, status: { in: ["queued", "fetching", "importing", "failed"] } },
    orderBy: { createdAt: "desc" },
  });
  const same = open.find((r) => JSON.stringify(r.studyUids) === JSON.stringify(studyUids));
  if (same) return viewOf(same);
  const row = await deps.prisma.pacsImport.create({
    data: { sourceId: source.id, studyUids: studyUids as Prisma.InputJsonValue, userId: input.user.id },
  });
  return viewOf(row);
}

export async function getPacsImport(deps: Pick<PacsDeps, "prisma">, id: string): Promise<PacsImportView> {
  const row = await deps.prisma.pacsImport.findUnique({ where: { id } });
  if (!row) throw new NacError("NOT_FOUND", `PACS import ${id} not found`);
  return viewOf(row);
}

/**
 * Runs (or resumes) an import to its end. Never throws for a PACS or data failure: the import row records it (status
 * `failed`, a code and a message for the UI) and the returned view carries it.
 */
export async function runPacsImport(
  deps: PacsImportDeps,
  importId: string,
  user: { id: string | null; username: string },
): Promise<PacsImportView> {
  if (running.has(importId)) return getPacsImport(deps, importId);
  running.add(importId);
  const prisma = deps.prisma;
  const staging = path.join(deps.stagingDir, importId);
  try {
    const row = await prisma.pacsImport.findUnique({ where: { id: importId } });
    if (!row) throw new NacError("NOT_FOUND", `PACS import ${importId} not found`);
    if (row.status === "succeeded") return viewOf(row);
    await prisma.pacsImport.update({
      where: { id: importId },
      data: { status: "fetching", attempts: { increment: 1 }, errorCode: null, errorMessage: null },
    });
    let fetched: number | undefined; // instances staged so far, recorded on failure too
    try {
      const { client } = await pacsClient(deps, row.sourceId);
      mkdirSync(staging, { recursive: true });
      // 1. What the PACS holds, minus what is stored locally already.
      const wanted: { study: string; series: string; sop: string }[] = [];
      for (const study of row.studyUids as string[]) {
        for (const s of await client.searchSeries(study)) {
          for (const i of await client.searchInstances(study, s.seriesInstanceUid)) {
            if (i.sopClassUid && SKIPPED_SOP_CLASS.test(i.sopClassUid)) continue;
            wanted.push({ study, series: s.seriesInstanceUid, sop: assertUid(i.sopInstanceUid, "SOP instance UID") });
          }
        }
      }
      if (!wanted.length) throw new NacError("PACS_NOT_FOUND", "the PACS holds no images for the chosen studies");
      const local = new Set(
        (
          await prisma.dicomInstance.findMany({
            where: { sopInstanceUid: { in: wanted.map((w) => w.sop) } },
            select: { sopInstanceUid: true },
          })
        ).map((r) => r.sopInstanceUid),
      );
      const missing = wanted.filter((w) => !local.has(w.sop));
      const staged = new Set(
        readdirSync(staging)
          .filter((n) => n.endsWith(".dcm"))
          .map((n) => n.slice(0, -4)),
      );
      const toFetch = missing.filter((w) => !staged.has(w.sop));
      fetched = missing.length - toFetch.length;
      await prisma.pacsImport.update({
        where: { id: importId },
        data: { total: wanted.length, skipped: local.size, fetched },
      });

      // 2. Fetch what is missing, a few at a time; each file lands atomically.
      let next = 0;
      let lastWrite = 0;
      const worker = async () => {
        while (next < toFetch.length) {
          const w = toFetch[next++];
          const bytes = await client.instance(w.study, w.series, w.sop);
          const tmp = path.join(staging, `${w.sop}.part`);
          writeFileSync(tmp, bytes);
          renameSync(tmp, path.join(staging, `${w.sop}.dcm`));
          fetched = (fetched ?? 0) + 1;
          if (Date.now() - lastWrite > 250 || fetched === missing.length) {
            lastWrite = Date.now();
            await prisma.pacsImport.update({ where: { id: importId }, data: { fetched } });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(deps.concurrency ?? 4, Math.max(1, toFetch.length)) }, worker));
      await prisma.pacsImport.update({ where: { id: importId }, data: { fetched, status: "importing" } });

      // 3. Every file must parse and decode before anything becomes visible (a corrupt frame fails the whole import).
      installNodeCodecWasm();
      const files = missing.map((w) => ({
        name: `${w.sop}.dcm`,
        bytes: new Uint8Array(readFileSync(path.join(staging, `${w.sop}.dcm`))),
      }));
      for (const f of files) {
        try {
          const ds = parseDicom(f.bytes);
          if (ds.string("00080018") !== f.name.slice(0, -4))
            throw new NacError("PACS_BAD_RESPONSE", "the PACS sent another instance than the one asked for");
          await decodePixelData(ds);
        } catch (e) {
          rmSync(path.join(staging, f.name), { force: true }); // fetched again on resume
          throw new NacError(
            "PACS_BAD_RESPONSE",
            `instance ${f.name.slice(0, -4)} from the PACS is corrupt (${(e as Error).message}); nothing was imported. Resume to fetch it again.`,
          );
        }
      }
      const report = files.length
        ? await importDicomFiles({ prisma, store: deps.store }, files, { userId: user.id, username: user.username })
        : null;
      const errors = report?.files.filter((f) => f.status === "error") ?? [];
      const series = report?.series ?? [];
      const patientIds = [
        ...new Set([
          ...series.map((s) => s.patientId),
          ...(
            await prisma.study.findMany({
              where: { studyInstanceUid: { in: row.studyUids as string[] } },
              select: { patientId: true },
            })
          ).map((s) => s.patientId),
        ]),
      ];
      const done = await prisma.pacsImport.update({
        where: { id: importId },
        data: {
          status: errors.length ? "failed" : "succeeded",
          imported: report?.counts.imported ?? 0,
          errorCode: errors.length ? (errors[0].code ?? "DICOM_MALFORMED") : null,
          errorMessage: errors.length ? `${errors.length} file(s) refused by the import: ${errors[0].message}` : null,
          result: { series, patientIds, counts: report?.counts ?? null } as unknown as Prisma.InputJsonValue,
          finishedAt: new Date(),
        },
      });
      await recordAudit(prisma, {
        action: "pacs.import",
        userId: user.id,
        username: user.username,
        patientId: patientIds[0],
        targetType: "pacs_import",
        targetId: importId,
        outcome: errors.length ? "failed" : "ok",
        details: {
          studyUids: row.studyUids,
          total: wanted.length,
          skipped: local.size,
          imported: done.imported,
          patientIds,
        },
      });
      if (!errors.length) rmSync(staging, { recursive: true, force: true });
      return viewOf(done);
    } catch (e) {
      const err = isNacError(e) ? e : new NacError("INTERNAL", `import failed: ${(e as Error).message}`);
      const failed = await prisma.pacsImport.update({
        where: { id: importId },
        data: {
          status: "failed",
          errorCode: err.code,
          errorMessage: err.message,
          ...(fetched !== undefined ? { fetched } : {}),
        },
      });
      await recordAudit(prisma, {
        action: "pacs.import",
        userId: user.id,
        username: user.username,
        targetType: "pacs_import",
        targetId: importId,
        outcome: "failed",
        details: { code: err.code, message: err.message },
      });
      return viewOf(failed);
    }
  } finally {
    running.delete(importId);
  }
}
