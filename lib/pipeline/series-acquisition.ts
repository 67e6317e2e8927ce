/**
 * Acquisition parameters of stored series: read from the header of one stored image per series
 * (the first in volume order), verified against its sha256 like every read of a stored file.
 */
import type { DicomInstance, Series } from "../../generated/prisma/client";
import { acquisitionParameters, type AcquisitionParameters, type AcquisitionRole } from "../acquisition";
import { parseDicom } from "../imaging/dicom/parse";
import type { FileStore } from "../storage/file-store";

const DB_ROLE: Record<string, AcquisitionRole> = { CE_T1: "CE-T1", T2: "T2", CT: "CT" };

/** Null for a series whose role is not an imaging input (e.g. "other") or that has no stored image. */
export async function seriesAcquisition(
  store: FileStore,
  series: Series & { instances: DicomInstance[] },
): Promise<AcquisitionParameters | null> {
  const role = DB_ROLE[series.role];
  if (!role || !series.instances.length) return null;
  const first = (series.geometry as { volumeOrder?: string[] } | null)?.volumeOrder?.[0];
  const inst = series.instances.find((i) => i.sopInstanceUid === first) ?? series.instances[0];
  return acquisitionParameters(parseDicom(await store.get(inst.storageKey, inst.sha256)), role);
}
