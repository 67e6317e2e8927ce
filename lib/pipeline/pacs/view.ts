/**
 * A PACS study (or a patient's studies) for the three-series viewer, without storing anything: each image series'
 * geometry from its WADO-RS metadata, its role from the same classifier as imports (run on the series' first instance,
 * fetched once, kept in memory only). The browser then streams the pixels through the proxy route.
 */
import { recordAudit } from "../../audit/audit-log";
import { isNacError } from "../../errors";
import { classifySeriesRole, readDicomSeries } from "../../imaging/series";
import type { DicomWebClient } from "../../pacs/dicomweb-client";
import { streamedSeriesGeometry, type StreamedSeriesGeometry } from "../../pacs/streamed-series";
import { roleIdOf } from "../../imaging/series/roles";

export interface StreamedSeries extends StreamedSeriesGeometry {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  role: "CE_T1" | "T2" | "CT" | "OTHER";
  roleConfidence: number;
}

export interface StreamedStudyView {
  series: StreamedSeries[];
  /** series that cannot be shown, with the reason (e.g. a SEG, a localizer of mixed sizes) */
  skipped: { seriesInstanceUid: string; description: string | null; reason: string }[];
  patient: { id: string | null; name: string | null };
}

const NON_IMAGE = new Set(["SEG", "SR", "RTSTRUCT", "PR", "KO", "DOC", "REG"]);

export async function streamedStudyView(client: DicomWebClient, studyUids: string[]): Promise<StreamedStudyView> {
  const out: StreamedStudyView = { series: [], skipped: [], patient: { id: null, name: null } };
  for (const study of studyUids) {
    for (const s of await client.searchSeries(study)) {
      if (s.modality && NON_IMAGE.has(s.modality)) continue;
      try {
        const meta = await client.seriesMetadata(study, s.seriesInstanceUid);
        const g = streamedSeriesGeometry(meta);
        const mid = g.sopInstanceUids[Math.floor(g.sopInstanceUids.length / 2)];
        const [built] = await readDicomSeries([await client.instance(study, s.seriesInstanceUid, mid)]);
        const role = classifySeriesRole(built.meta);
        const [family, given] = (built.meta.patientName ?? "").split("=")[0].split("^");
        out.patient = { id: built.meta.patientId ?? null, name: [family, given].filter(Boolean).join(", ") || null };
        out.series.push({
          ...g,
          studyInstanceUid: study,
          seriesInstanceUid: s.seriesInstanceUid,
          role: roleIdOf(role.role),
          roleConfidence: role.confidence,
        });
      } catch (e) {
        if (
          !isNacError(e) ||
          e.code.startsWith("PACS_UNAUTHORIZED") ||
          e.code === "PACS_UNREACHABLE" ||
          e.code === "PACS_TIMEOUT"
        )
          throw e;
        out.skipped.push({ seriesInstanceUid: s.seriesInstanceUid, description: s.description, reason: e.message });
      }
    }
  }
  // One series per role (the classifier's most confident), as the hanging protocol shows one pane per role.
  out.series.sort((a, b) => b.roleConfidence - a.roleConfidence);
  return out;
}

/** One `pacs.read` audit row: who read what from which PACS (study view, metadata, frames). */
export async function recordPacsRead(
  db: Parameters<typeof recordAudit>[0],
  user: { id: string; username: string },
  sourceId: string,
  details: Record<string, unknown>,
): Promise<void> {
  await recordAudit(db, {
    action: "pacs.read",
    userId: user.id,
    username: user.username,
    targetType: "pacs_source",
    targetId: sourceId,
    details,
  });
}
