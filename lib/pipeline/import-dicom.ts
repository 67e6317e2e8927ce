import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { recordAudit } from "../audit/audit-log";
import { isNacError, NacError } from "../errors";
import { decodePixelData, parseDicom, TAG, type DicomDataset } from "../imaging/dicom";
// aliased: the name starts with "use", which ESLint's React hooks rule would take for a hook
import { useNodeCodecWasm as installNodeCodecWasm } from "../imaging/dicom/node/codec-wasm";
import { classifySeriesRole, isVolumeImage, readDicomSeries, type DicomSeries } from "../imaging/series";
import type { FileStore } from "../storage/file-store";
import { openWriteLease } from "../storage/write-lease";
import { roleIdOf } from "../imaging/series/roles";
import { attachRoiObject, type RoiObject } from "./import-roi-objects";

/**
 * DICOM import: files (from a drop, a folder or an unpacked zip) -> storage + patients/studies/series/instances rows.
 *
 * Every file gets a result. A file is stored only if it parses, its pixels decode, it is not already stored (same SOP
 * Instance UID) and its whole series assembles into a consistent volume; otherwise nothing of it is stored and its
 * result says why. A UID (study, series, SOP instance) never joins objects of another patient: such a file is refused
 * with UID_CONFLICT. Files are written first (atomically, under a write lease, at keys made from row ids), rows after,
 * in one short transaction per series, so a row never points at a missing file; a failed series removes its files.
 * Series that gain instances are re-assembled from all their stored files (verified against their sha256); an import
 * that loses a race with a concurrent one for the same patient or series assembles again and retries.
 */
export interface ImportFile {
  name: string;
  bytes: Uint8Array;
}

export type ImportStatus = "imported" | "duplicate" | "ignored" | "error";

export interface ImportFileResult {
  name: string;
  status: ImportStatus;
  code?: string;
  message?: string;
  sopInstanceUid?: string;
  seriesInstanceUid?: string;
}

export interface ImportedSeries {
  seriesId: string;
  seriesInstanceUid: string;
  patientId: string;
  role: string;
  roleConfidence: number;
  instanceCount: number;
  description?: string;
}

export interface ImportReport {
  files: ImportFileResult[];
  series: ImportedSeries[];
  counts: Record<ImportStatus, number>;
}

export interface ImportDeps {
  prisma: PrismaClient;
  store: FileStore;
}

export interface ImportOptions {
  userId?: string | null;
  username?: string | null;
  /** Mark created patients as synthetic (demo data). */
  synthetic?: boolean;
}

const PATIENT_NAME = "00100010";
const PATIENT_BIRTH_DATE = "00100030";
const PATIENT_SEX = "00100040";

interface ParsedFile {
  index: number;
  name: string;
  bytes: Uint8Array;
  ds: DicomDataset;
  sop: string;
  series: string;
  study: string;
  patientKey: string;
}

/** How often a series import is re-tried when a concurrent import of the same patient or series committed first. */
const MAX_ATTEMPTS = 8;

export async function importDicomFiles(
  deps: ImportDeps,
  files: ImportFile[],
  opts: ImportOptions = {},
): Promise<ImportReport> {
  installNodeCodecWasm(); // JPEG-LS / JPEG 2000 decoders read their wasm from node_modules
  const results: ImportFileResult[] = files.map((f) => ({ name: f.name, status: "error" }));
  const parsed: ParsedFile[] = [];
  const seenInBatch = new Map<string, ParsedFile>();
  const roiObjects: { index: number; object: RoiObject }[] = [];

  for (const [index, f] of files.entries()) {
    try {
      const ds = parseDicom(f.bytes);
      if (!isVolumeImage(ds)) {
        const modality = ds.string(TAG.Modality);
        if (modality === "SEG" || modality === "RTSTRUCT")
          roiObjects.push({ index, object: { name: f.name, bytes: f.bytes, ds, modality } });
        results[index] = {
          name: f.name,
          status: "ignored",
          message: "not an image NACpredict uses (no pixel data, or a SEG/RTSTRUCT/report object)",
        };
        continue;
      }
      const sop = identifier(ds, TAG.SOPInstanceUID, "SOP Instance UID");
      const series = identifier(ds, TAG.SeriesInstanceUID, "Series Instance UID");
      const study = identifier(ds, TAG.StudyInstanceUID, "Study Instance UID");
      const patientKey = identifier(ds, TAG.PatientID, "Patient ID", "cannot attach the images to a patient");
      await decodePixelData(ds); // a truncated or corrupt pixel payload fails here, before anything is stored
      const p: ParsedFile = { index, name: f.name, bytes: f.bytes, ds, sop, series, study, patientKey };
      const twin = seenInBatch.get(sop);
      if (twin) {
        results[index] = sameOwner(twin, p)
          ? {
              name: f.name,
              status: "duplicate",
              sopInstanceUid: sop,
              message: "same SOP Instance UID twice in this import",
            }
          : conflict(
              p,
              `SOP Instance UID ${sop} is used by another file of this import for a different patient, study or series`,
            );
        continue;
      }
      seenInBatch.set(sop, p);
      parsed.push(p);
    } catch (e) {
      results[index] = fileError(f.name, e);
    }
  }

  // A SOP Instance UID already stored is a duplicate only if it is stored for the same patient, study and series.
  const existing = new Map(
    (
      await deps.prisma.dicomInstance.findMany({
        where: { sopInstanceUid: { in: parsed.map((p) => p.sop) } },
        select: {
          sopInstanceUid: true,
          series: {
            select: {
              seriesInstanceUid: true,
              study: { select: { studyInstanceUid: true, patient: { select: { patientKey: true } } } },
            },
          },
        },
      })
    ).map((r) => [
      r.sopInstanceUid,
      {
        sop: r.sopInstanceUid,
        series: r.series.seriesInstanceUid,
        study: r.series.study.studyInstanceUid,
        patientKey: r.series.study.patient.patientKey,
      },
    ]),
  );
  const fresh = parsed.filter((p) => {
    const e = existing.get(p.sop);
    if (!e) return true;
    results[p.index] = sameOwner(e, p)
      ? {
          name: p.name,
          status: "duplicate",
          sopInstanceUid: p.sop,
          seriesInstanceUid: p.series,
          message: "already stored",
        }
      : conflict(p, `SOP Instance UID ${p.sop} is already stored for another patient, study or series; refused`);
    return false;
  });

  const bySeries = new Map<string, ParsedFile[]>();
  for (const p of fresh) bySeries.set(p.series, [...(bySeries.get(p.series) ?? []), p]);

  const imported: ImportedSeries[] = [];
  for (const [seriesUid, group] of bySeries) {
    try {
      const r = await importSeries(deps, seriesUid, group, opts);
      if (r.series) imported.push(r.series);
      for (const p of group) {
        results[p.index] = r.duplicates.has(p.sop)
          ? {
              name: p.name,
              status: "duplicate",
              sopInstanceUid: p.sop,
              seriesInstanceUid: seriesUid,
              message: "already stored (by a concurrent import)",
            }
          : { name: p.name, status: "imported", sopInstanceUid: p.sop, seriesInstanceUid: seriesUid };
      }
    } catch (e) {
      for (const p of group)
        results[p.index] = { ...seriesError(p.name, e), sopInstanceUid: p.sop, seriesInstanceUid: seriesUid };
    }
  }

  // A SEG / RTSTRUCT arriving with its series becomes that series' ROI, once the series is stored.
  const user = { id: opts.userId ?? null, username: opts.username ?? "import" };
  for (const { index, object } of roiObjects) {
    const r = await attachRoiObject(deps, object, user);
    results[index] = {
      name: object.name,
      status: r.status,
      message: r.message,
      ...(r.seriesInstanceUid ? { seriesInstanceUid: r.seriesInstanceUid } : {}),
    };
  }

  const counts: Record<ImportStatus, number> = { imported: 0, duplicate: 0, ignored: 0, error: 0 };
  for (const r of results) counts[r.status]++;
  return { files: results, series: imported, counts };
}

/**
 * A UID or Patient ID as the database will key it. Printable ASCII only: a control character (a NUL, which PostgreSQL
 * cannot store) fails this file alone, with its reason, instead of the whole upload. Characters outside the UID
 * alphabet are tolerated (real files carry them); storage keys no longer derive from UIDs, so they cannot collide.
 */
function identifier(ds: DicomDataset, tag: string, what: string, why = ""): string {
  const v = ds.string(tag);
  if (!v) throw new NacError("DICOM_MALFORMED", `missing ${what}${why ? `: ${why}` : ""}`);
  if (!/^[\x20-\x7e]+$/.test(v))
    throw new NacError("DICOM_MALFORMED", `${what} ${JSON.stringify(v)} holds control or non-ASCII characters`);
  if (v.length > 64) throw new NacError("DICOM_MALFORMED", `${what} is ${v.length} characters long (at most 64)`);
  return v;
}

function sameOwner(
  a: { series: string; study: string; patientKey: string },
  b: { series: string; study: string; patientKey: string },
): boolean {
  return a.series === b.series && a.study === b.study && a.patientKey === b.patientKey;
}

function conflict(p: { name: string; sop: string; series: string }, message: string): ImportFileResult {
  return {
    name: p.name,
    status: "error",
    code: "UID_CONFLICT",
    message,
    sopInstanceUid: p.sop,
    seriesInstanceUid: p.series,
  };
}

function fileError(name: string, e: unknown): ImportFileResult {
  if (isNacError(e)) return { name, status: "error", code: e.code, message: e.message };
  return {
    name,
    status: "error",
    code: "DICOM_MALFORMED",
    message: `not a readable DICOM file: ${(e as Error).message}`,
  };
}

/** The file parsed; storing its series failed: say so, not "not a readable DICOM file". */
function seriesError(name: string, e: unknown): ImportFileResult {
  if (isNacError(e)) return { name, status: "error", code: e.code, message: e.message };
  console.error("import: storing a series failed", e);
  return {
    name,
    status: "error",
    code: "DATABASE_FAILED",
    message: "the file is valid but its series could not be stored (database error; see the server log)",
  };
}

/** A concurrent import changed the series between our read and our transaction: assemble again. */
class StaleSeries extends Error {}

function isRetryable(e: unknown): boolean {
  if (e instanceof StaleSeries) return true;
  const code = (e as { code?: unknown })?.code;
  // P2002 unique violation (a concurrent import created the same patient/study/series first), P2034 write conflict.
  return code === "P2002" || code === "P2034" || /unique constraint/i.test((e as Error)?.message ?? "");
}

/** Storage key of an instance: from its row id (random), so two different UIDs can never share a file. */
function instanceKey(id: string): string {
  return `dicom/${id.slice(0, 2)}/${id}.dcm`;
}

interface SeriesOutcome {
  series: ImportedSeries | null;
  /** SOP instances a concurrent import stored first (same patient, study and series). */
  duplicates: Set<string>;
}

async function importSeries(
  deps: ImportDeps,
  seriesUid: string,
  group: ParsedFile[],
  opts: ImportOptions,
): Promise<SeriesOutcome> {
  const { store } = deps;
  const { study: studyUid, patientKey } = group[0];
  if (group.some((g) => g.study !== studyUid || g.patientKey !== patientKey)) {
    throw new NacError(
      "UID_CONFLICT",
      `series ${seriesUid} holds files of more than one patient or study in this import; refused`,
    );
  }
  const rows = group.map((g) => ({ g, id: randomUUID() }));
  const keys = rows.map((r) => instanceKey(r.id));
  const lease = await openWriteLease(store, keys);
  const written: string[] = [];
  try {
    await assertOwnership(deps.prisma, seriesUid, studyUid, patientKey);
    const stored = await Promise.all(
      rows.map(async (r, i) => {
        const s = await store.putNew(keys[i], r.g.bytes);
        written.push(s.key);
        return { ...r, ...s };
      }),
    );
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await importSeriesOnce(deps, seriesUid, stored, opts);
        const unused = stored.filter((s) => outcome.duplicates.has(s.g.sop)).map((s) => s.key);
        await Promise.all(unused.map((k) => store.remove(k)));
        return outcome;
      } catch (e) {
        if (!isRetryable(e)) throw e;
        if (attempt >= MAX_ATTEMPTS)
          throw new NacError("CONFLICT", `series ${seriesUid} kept changing under concurrent imports; import it again`);
        await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 50));
      }
    }
  } catch (e) {
    // Nothing of a failing series stays in storage (the rows were never committed).
    await Promise.all(written.map((k) => store.remove(k).catch(() => undefined)));
    throw e;
  } finally {
    await lease.release();
  }
}

/** The series, its study and its patient: a UID already stored must belong to the same patient (and study). */
async function assertOwnership(
  db: Pick<PrismaClient, "series" | "study">,
  seriesUid: string,
  studyUid: string,
  patientKey: string,
): Promise<void> {
  const series = await db.series.findUnique({
    where: { seriesInstanceUid: seriesUid },
    select: { study: { select: { studyInstanceUid: true, patient: { select: { patientKey: true } } } } },
  });
  if (series && series.study.patient.patientKey !== patientKey) {
    throw new NacError(
      "UID_CONFLICT",
      `series ${seriesUid} already belongs to another patient; refused (check the files' Patient ID)`,
    );
  }
  if (series && series.study.studyInstanceUid !== studyUid) {
    throw new NacError(
      "UID_CONFLICT",
      `series ${seriesUid} is already stored in another study (${series.study.studyInstanceUid}); refused`,
    );
  }
  const study = await db.study.findUnique({
    where: { studyInstanceUid: studyUid },
    select: { patient: { select: { patientKey: true } } },
  });
  if (study && study.patient.patientKey !== patientKey) {
    throw new NacError(
      "UID_CONFLICT",
      `study ${studyUid} already belongs to another patient; refused (check the files' Patient ID)`,
    );
  }
}

async function importSeriesOnce(
  deps: ImportDeps,
  seriesUid: string,
  allStored: { g: ParsedFile; id: string; key: string; sha256: string }[],
  opts: ImportOptions,
): Promise<SeriesOutcome> {
  const { prisma, store } = deps;
  const first = allStored[0].g.ds;
  const { study: studyUid, patientKey } = allStored[0].g;
  await assertOwnership(prisma, seriesUid, studyUid, patientKey);
  const prior = await prisma.series.findUnique({
    where: { seriesInstanceUid: seriesUid },
    include: { instances: true },
  });
  // Ownership of the series was checked above, so an instance stored meanwhile with the same SOP UID is a duplicate.
  const priorSops = new Set(prior?.instances.map((i) => i.sopInstanceUid) ?? []);
  const duplicates = new Set(allStored.filter((s) => priorSops.has(s.g.sop)).map((s) => s.g.sop));
  const stored = allStored.filter((s) => !duplicates.has(s.g.sop));
  const group = stored.map((s) => s.g);
  if (!group.length) return { series: null, duplicates };
  const priorBytes = prior ? await Promise.all(prior.instances.map((i) => store.get(i.storageKey, i.sha256))) : [];
  const assembled = (await readDicomSeries([...priorBytes, ...group.map((g) => g.ds)])).filter(
    (s) => s.meta.seriesInstanceUid === seriesUid,
  );
  if (assembled.length > 1) {
    // Never pick one phase silently (phase 1 of a DCE series is the pre-contrast baseline).
    throw new NacError(
      "SERIES_INCONSISTENT",
      `series ${seriesUid} holds ${assembled.length} phases at the same slice positions; import one phase per series (e.g. the first post-contrast phase)`,
    );
  }
  const built: DicomSeries | undefined = assembled[0];
  if (!built) throw new NacError("SERIES_INCONSISTENT", `series ${seriesUid} could not be assembled`);
  const suggestion = classifySeriesRole(built.meta);
  // volumeOrder: the SOP instance (and frame) at each slice k, so the viewer stacks images exactly as the engines do.
  const geometry = {
    dims: built.volume.dims,
    spacing: built.volume.spacing,
    origin: built.volume.origin,
    direction: built.volume.direction,
    volumeOrder: built.meta.sopInstanceUids,
    frameNumbers: built.meta.frameNumbers,
  };
  const priorIds = new Set(prior?.instances.map((i) => i.id) ?? []);

  // Short transaction, nothing but reads and writes of rows: the assembly above ran outside it.
  return prisma.$transaction(
    async (tx) => {
      // Concurrent imports of one patient queue here instead of failing on the unique patient/study keys.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`nacpredict.import:${patientKey}`}))`;
      await assertOwnership(tx, seriesUid, studyUid, patientKey);
      const current = await tx.series.findUnique({
        where: { seriesInstanceUid: seriesUid },
        include: { instances: { select: { id: true } } },
      });
      if (
        !!current !== !!prior ||
        (current && (current.instances.length !== priorIds.size || current.instances.some((i) => !priorIds.has(i.id))))
      ) {
        throw new StaleSeries();
      }
      const patient = await tx.patient.upsert({
        where: { patientKey },
        update: {},
        create: {
          patientKey,
          displayName: formatPersonName(first.string(PATIENT_NAME)) ?? patientKey,
          birthYear: parseBirthYear(first.string(PATIENT_BIRTH_DATE)),
          sex: text(first.string(PATIENT_SEX)),
          isSynthetic: !!opts.synthetic,
        },
      });
      const study = await tx.study.upsert({
        where: { studyInstanceUid: studyUid },
        update: {},
        create: {
          patientId: patient.id,
          studyInstanceUid: studyUid,
          studyDate: text(first.string(TAG.StudyDate)),
          description: text(first.string("00081030")),
          accessionNumber: text(first.string("00080050")),
        },
      });
      if (study.patientId !== patient.id)
        throw new NacError("UID_CONFLICT", `study ${studyUid} already belongs to another patient; refused`);
      const data = {
        modality: text(built.meta.modality) ?? "OT",
        description: text(built.meta.seriesDescription),
        frameOfReferenceUid: text(built.meta.frameOfReferenceUid),
        instanceCount: built.meta.sopInstanceUids.length,
        geometry: geometry as unknown as Prisma.InputJsonValue,
        storageKey: "dicom",
      };
      const series = current
        ? await tx.series.update({
            where: { id: current.id },
            // a person's role override is kept; only automatic roles follow the classifier
            data:
              current.roleSource === "manual"
                ? data
                : { ...data, role: roleIdOf(suggestion.role), roleConfidence: suggestion.confidence },
          })
        : await tx.series.create({
            data: {
              ...data,
              studyId: study.id,
              seriesInstanceUid: seriesUid,
              role: roleIdOf(suggestion.role),
              roleConfidence: suggestion.confidence,
            },
          });
      await tx.dicomInstance.createMany({
        data: stored.map((s) => ({
          id: s.id,
          seriesId: series.id,
          sopInstanceUid: s.g.sop,
          instanceNumber: s.g.ds.integerString(TAG.InstanceNumber) ?? null,
          storageKey: s.key,
          sha256: s.sha256,
        })),
      });
      await tx.patient.update({ where: { id: patient.id }, data: { updatedAt: new Date() } });
      await recordAudit(tx, {
        action: "series.import",
        userId: opts.userId,
        username: opts.username,
        patientId: patient.id,
        targetType: "series",
        targetId: series.id,
        details: {
          seriesInstanceUid: seriesUid,
          added: group.length,
          role: series.role,
          roleReasons: suggestion.reasons,
        },
      });
      const imported: ImportedSeries = {
        seriesId: series.id,
        seriesInstanceUid: seriesUid,
        patientId: patient.id,
        role: series.role,
        roleConfidence: series.roleConfidence,
        instanceCount: series.instanceCount,
        description: series.description ?? undefined,
      };
      return { series: imported, duplicates };
    },
    { maxWait: 30_000, timeout: 60_000 },
  );
}

/** Free text for the database: PostgreSQL cannot store a NUL (some writers pad with them mid-value). */
function text(s: string | undefined): string | null {
  const t = s?.replace(/\0/g, "").trim();
  return t ? t : null;
}

function formatPersonName(pn?: string): string | undefined {
  if (!pn) return undefined;
  const [family, given] = pn.replace(/\0/g, "").split("=")[0].split("^");
  return [family, given].filter(Boolean).join(", ") || undefined;
}

function parseBirthYear(da?: string): number | null {
  const y = da && /^\d{4}/.test(da) ? Number(da.slice(0, 4)) : NaN;
  return Number.isFinite(y) ? y : null;
}
