/** A series as the viewer shows it, and the image ids of its stack (stored images or streamed from a PACS). */
import { instanceFileUrl } from "./image-urls";
import type { StackGeometry } from "./slice-sync";

export interface ViewerSeries {
  id: string;
  role: string;
  /** "manual" when a person set the role, else the classifier's ("auto") */
  roleSource?: string;
  modality: string;
  description: string | null;
  frameOfReferenceUid: string | null;
  dims: number[];
  geometry: StackGeometry;
  images: { instanceId: string; frame: number }[];
  /**
   * Set for a series streamed from a PACS (not stored here): images are read with Cornerstone3D's WADO-RS loader
   * through the same-origin proxy `root` (`instanceId` is then the SOP instance UID); no ROI layer.
   */
  wado?: { root: string; studyUid: string; seriesUid: string };
}

export const RENDERING_ENGINE_ID = "nac-engine";
export const viewportIdOf = (pane: number) => `pane-${pane}`;

/** Pixels of one slice of the series (the labelmaps hold one such slice per image). */
export const sliceSizeOf = (s: ViewerSeries | null) => (s ? s.dims[0] * s.dims[1] : 0);

const wadoSeriesUrl = (w: NonNullable<ViewerSeries["wado"]>) => `${w.root}/studies/${w.studyUid}/series/${w.seriesUid}`;

export function imageIdsFor(s: ViewerSeries): string[] {
  if (s.wado)
    return s.images.map(
      (im) => `wadors:${window.location.origin}${wadoSeriesUrl(s.wado!)}/instances/${im.instanceId}/frames/${im.frame}`,
    );
  return s.images.map((im) => `wadouri:${window.location.origin}${instanceFileUrl(im)}`);
}

/**
 * The WADO-RS loader takes each image's metadata from its metadata manager, not from the pixels' answer: register the
 * series' metadata (one request through the proxy) under every image id before the stack is set.
 */
export async function registerWadoMetadata(s: ViewerSeries, ids: string[]): Promise<void> {
  if (!s.wado) return;
  const res = await fetch(`${wadoSeriesUrl(s.wado)}/metadata`, { headers: { accept: "application/dicom+json" } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error?.message ?? `PACS metadata unavailable (HTTP ${res.status})`);
  const bySop = new Map(
    (body as Record<string, { Value?: unknown[] }>[]).map((m) => [String(m["00080018"]?.Value?.[0] ?? ""), m]),
  );
  const loader = await import("@cornerstonejs/dicom-image-loader");
  s.images.forEach((im, k) => {
    const m = bySop.get(im.instanceId);
    if (!m) throw new Error(`the PACS no longer lists image ${im.instanceId} of this series`);
    loader.wadors.metaDataManager.add(ids[k], m as never);
  });
}
