import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { recordAudit } from "../audit/audit-log";
import { isNacError, NacError } from "../errors";
import { decodePixelData, parseDicom, TAG, type DicomDataset } from "../imaging/dicom";
// aliased: the name starts with "use", which ESLint's React hooks rule would take for a hook
import { useNodeCodecWasm as installNodeCodecWasm } from "../imaging/dicom/node/codec-wasm";
import { classifySeriesRole, isVolumeImage, readDicomSeries, type DicomSeries } from "../imaging/series";
import type { FileStore } from "../storage/file-store";

/**
 * DICOM import: files (from a drop, a folder or an unpacked zip) -> storage + patients/studies/series/instances rows.
 *
 * Every file gets a result. A file is stored only if it parses, its pixels decode, it is not already stored (same SOP
 * Instance UID) and its whole series assembles into a consistent volume; otherwise nothing of it is stored and its
 * result says why. Files are written first (atomically), rows after, in one transaction per series, so a row never
 * points at a missing file. Series that gain instances are re-assembled from all their stored files.
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

const ROLE_TO_DB = { "CE-T1": "CE_T1", T2: "T2", CT: "CT", other: "OTHER" } as const;
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
}

export async function importDicomFiles(deps: ImportDeps, files: ImportFile[], opts: ImportOptions = {}): Promise<ImportReport> {
  installNodeCodecWasm(); // JPEG-LS / JPEG 2000 decoders read their wasm from node_modules
  const results: ImportFileResult[] = files.map((f) => ({ name: f.name, status: "error" }));
  const parsed: ParsedFile[] = [];
  const seenInBatch = new Set<string>();

  for (const [index, f] of files.entries()) {
    try {
      const ds = parseDicom(f.bytes);
      const sop = ds.string(TAG.SOPInstanceUID);
      const series = ds.string(TAG.SeriesInstanceUID);
      if (!isVolumeImage(ds)) {
        results[index] = { name: f.name, status: "ignored", message: "not an image NACpredict uses (no pixel data, or a SEG/RTSTRUCT/report object)" };
        continue;
      }
      if (!sop || !series) throw new NacError("DICOM_MALFORMED", "missing SOPInstanceUID or SeriesInstanceUID");
      await decodePixelData(ds); // a truncated or corrupt pixel payload fails here, before anything is stored
      if (seenInBatch.has(sop)) {
        results[index] = { name: f.name, status: "duplicate", sopInstanceUid: sop, message: "same SOP Instance UID twice in this import" };
        continue;
      }
      seenInBatch.add(sop);
      parsed.push({ index, name: f.name, bytes: f.bytes, ds, sop, series });
    } catch (e) {
      results[index] = fileError(f.name, e);
    }
  }

  const existing = new Set(
    (await deps.prisma.dicomInstance.findMany({ where: { sopInstanceUid: { in: parsed.map((p) => p.sop) } }, select: { sopInstanceUid: true } })).map(
      (r) => r.sopInstanceUid,
    ),
  );
  const fresh = parsed.filter((p) => {
    if (!existing.has(p.sop)) return true;
    results[p.index] = { name: p.name, status: "duplicate", sopInstanceUid: p.sop, seriesInstanceUid: p.series, message: "already stored" };
    return false;
  });

  const bySeries = new Map<string, ParsedFile[]>();
  for (const p of fresh) bySeries.set(p.series, [...(bySeries.get(p.series) ?? []), p]);

  const imported: ImportedSeries[] = [];
  for (const [seriesUid, group] of bySeries) {
    try {
      imported.push(await importSeries(deps, seriesUid, group, opts));
      for (const p of group) results[p.index] = { name: p.name, status: "imported", sopInstanceUid: p.sop, seriesInstanceUid: seriesUid };
    } catch (e) {
      for (const p of group) results[p.index] = { ...fileError(p.name, e), sopInstanceUid: p.sop, seriesInstanceUid: seriesUid };
    }
  }

  const counts: Record<ImportStatus, number> = { imported: 0, duplicate: 0, ignored: 0, error: 0 };
  for (const r of results) counts[r.status]++;
  return { files: results, series: imported, counts };
}

function fileError(name: string, e: unknown): ImportFileResult {
  if (isNacError(e)) return { name, status: "error", code: e.code, message: e.message };
  return { name, status: "error", code: "DICOM_MALFORMED", message: `not a readable DICOM file: ${(e as Error).message}` };
}

async function importSeries(deps: ImportDeps, seriesUid: string, group: ParsedFile[], opts: ImportOptions): Promise<ImportedSeries> {
  const { prisma, store } = deps;
  const first = group[0].ds;
  const studyUid = first.string(TAG.StudyInstanceUID);
  const patientKey = first.string(TAG.PatientID);
  if (!studyUid) throw new NacError("DICOM_MALFORMED", "missing StudyInstanceUID");
  if (!patientKey) throw new NacError("DICOM_MALFORMED", "missing PatientID: cannot attach the images to a patient");

  const prior = await prisma.series.findUnique({ where: { seriesInstanceUid: seriesUid }, include: { instances: true } });
  const priorBytes = prior ? await Promise.all(prior.instances.map((i) => store.get(i.storageKey))) : [];
  const assembled = (await readDicomSeries([...priorBytes, ...group.map((g) => g.ds)])).filter((s) => s.meta.seriesInstanceUid === seriesUid);
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

  const seriesDir = `dicom/${safe(studyUid)}/${safe(seriesUid)}`;
  const stored = await Promise.all(group.map(async (g) => ({ g, ...(await store.put(`${seriesDir}/${safe(g.sop)}.dcm`, g.bytes)) })));

  return prisma.$transaction(async (tx) => {
    const patient = await tx.patient.upsert({
      where: { patientKey },
      update: {},
      create: {
        patientKey,
        displayName: formatPersonName(first.string(PATIENT_NAME)) ?? patientKey,
        birthYear: parseBirthYear(first.string(PATIENT_BIRTH_DATE)),
        sex: first.string(PATIENT_SEX) ?? null,
        isSynthetic: !!opts.synthetic,
      },
    });
    const study = await tx.study.upsert({
      where: { studyInstanceUid: studyUid },
      update: {},
      create: {
        patientId: patient.id,
        studyInstanceUid: studyUid,
        studyDate: first.string(TAG.StudyDate) ?? null,
        description: first.string("00081030") ?? null,
        accessionNumber: first.string("00080050") ?? null,
      },
    });
    if (study.patientId !== patient.id) {
      throw new NacError("CONFLICT", `study ${studyUid} already belongs to another patient`);
    }
    const data = {
      modality: built.meta.modality ?? "OT",
      description: built.meta.seriesDescription ?? null,
      frameOfReferenceUid: built.meta.frameOfReferenceUid ?? null,
      instanceCount: built.meta.sopInstanceUids.length,
      geometry: geometry as unknown as Prisma.InputJsonValue,
      storageKey: seriesDir,
    };
    const series = prior
      ? await tx.series.update({
          where: { id: prior.id },
          // a person's role override is kept; only automatic roles follow the classifier
          data: prior.roleSource === "manual" ? data : { ...data, role: ROLE_TO_DB[suggestion.role], roleConfidence: suggestion.confidence },
        })
      : await tx.series.create({
          data: { ...data, studyId: study.id, seriesInstanceUid: seriesUid, role: ROLE_TO_DB[suggestion.role], roleConfidence: suggestion.confidence },
        });
    for (const s of stored) {
      await tx.dicomInstance.create({
        data: {
          seriesId: series.id,
          sopInstanceUid: s.g.sop,
          instanceNumber: s.g.ds.integerString(TAG.InstanceNumber) ?? null,
          storageKey: s.key,
          sha256: s.sha256,
        },
      });
    }
    await tx.patient.update({ where: { id: patient.id }, data: { updatedAt: new Date() } });
    await recordAudit(tx, {
      action: "series.import",
      userId: opts.userId,
      username: opts.username,
      patientId: patient.id,
      targetType: "series",
      targetId: series.id,
      details: { seriesInstanceUid: seriesUid, added: group.length, role: series.role, roleReasons: suggestion.reasons },
    });
    return {
      seriesId: series.id,
      seriesInstanceUid: seriesUid,
      patientId: patient.id,
      role: series.role,
      roleConfidence: series.roleConfidence,
      instanceCount: series.instanceCount,
      description: series.description ?? undefined,
    };
  });
}

/** UIDs are digits and dots; anything else is replaced so a key can never leave its folder. */
function safe(uid: string): string {
  return uid.replace(/[^0-9A-Za-z.]/g, "_");
}

function formatPersonName(pn?: string): string | undefined {
  if (!pn) return undefined;
  const [family, given] = pn.split("=")[0].split("^");
  return [family, given].filter(Boolean).join(", ") || undefined;
}

function parseBirthYear(da?: string): number | null {
  const y = da && /^\d{4}/.test(da) ? Number(da.slice(0, 4)) : NaN;
  return Number.isFinite(y) ? y : null;
}
