import type { PrismaClient } from "../../generated/prisma/client";
import { NacError } from "../errors";
// aliased: the name starts with "use", which ESLint's React hooks rule would take for a hook
import { useNodeCodecWasm as installNodeCodecWasm } from "../imaging/dicom/node/codec-wasm";
import { readDicomSeries, type DicomSeries } from "../imaging/series";
import type { Volume } from "../imaging/volume";
import type { FileStore } from "../storage/file-store";

/** A stored series re-assembled from its DICOM files exactly as at import (volume + metadata in volume order). */
export async function loadStoredSeries(
  deps: { prisma: PrismaClient; store: FileStore },
  seriesId: string,
): Promise<DicomSeries> {
  installNodeCodecWasm();
  const s = await deps.prisma.series.findUnique({ where: { id: seriesId }, include: { instances: true } });
  if (!s) throw new NacError("NOT_FOUND", `series ${seriesId} not found`);
  const files = await Promise.all(s.instances.map((i) => deps.store.get(i.storageKey, i.sha256)));
  const built = (await readDicomSeries(files)).filter((x) => x.meta.seriesInstanceUid === s.seriesInstanceUid);
  if (built.length !== 1)
    throw new NacError(
      "SERIES_INCONSISTENT",
      `stored series ${s.seriesInstanceUid} could not be re-assembled as one volume`,
    );
  return built[0];
}

export async function loadSeriesVolume(
  deps: { prisma: PrismaClient; store: FileStore },
  seriesId: string,
): Promise<Volume> {
  return (await loadStoredSeries(deps, seriesId)).volume;
}
