/**
 * Per-pane orientation (MPR). A pane starts as a stack viewport (one decoded image per slice, first image fast); switching
 * it to sagittal or coronal re-enables the same element as an ORTHOGRAPHIC volume viewport over a volume built from the
 * already cached stack images (Cornerstone 5's image-backed volume: the images are shared, not copied). Going back to
 * axial re-enables the stack and frees that volume and the labelmap volumes Cornerstone made for the reformatted view,
 * so at most the panes currently shown reformatted hold a volume.
 * Volume panes join their own tool group with navigation tools only: ROI editing stays on the acquired (axial) slices.
 */
import type { RenderingEngine, Types } from "@cornerstonejs/core";
import { showLabelmap, type LabelmapHandle } from "./roi-layer";
import { ensureToolGroup, TOOL_GROUPS } from "./tool-groups";

export type Orientation = "axial" | "sagittal" | "coronal";
/** The orientations a pane offers (their keys are in key-map.ts). */
export const ORIENTATIONS: { id: Orientation; label: string }[] = [
  { id: "axial", label: "Axial" },
  { id: "sagittal", label: "Sagittal" },
  { id: "coronal", label: "Coronal" },
];

export interface PaneView {
  engine: RenderingEngine;
  viewportId: string;
  element: HTMLDivElement;
  /** tool group of the stack panes (editing tools) */
  stackToolGroupId: string;
  seriesId: string;
  imageIds: string[];
  /** shell first, tumour last (drawn on top; the tumour is the active segmentation) */
  labelmaps: LabelmapHandle[];
}

const volumeIdFor = (seriesId: string) => `nac-mpr:${seriesId}`;

async function detachLabelmaps(view: PaneView) {
  const tools = await import("@cornerstonejs/tools");
  for (const h of view.labelmaps)
    tools.segmentation.removeLabelmapRepresentation(view.viewportId, h.segmentationId, true);
}

/**
 * Free the series volume and any labelmap volume built over this pane's images (Cornerstone names the latter itself,
 * so they are found by their images). The cached images stay: they are the stack's.
 */
export async function freePaneVolumes(view: Pick<PaneView, "seriesId" | "imageIds" | "labelmaps">): Promise<void> {
  const core = await import("@cornerstonejs/core");
  const mine = new Set([...view.imageIds, ...view.labelmaps.flatMap((h) => h.labelmapImageIds)]);
  for (const v of core.cache.getVolumes()) {
    if (v.volumeId === volumeIdFor(view.seriesId) || (v.imageIds?.length && mine.has(v.imageIds[0])))
      core.cache.removeVolumeLoadObject(v.volumeId);
  }
}

/**
 * Show the pane in the given orientation. Axial: the stack at `axialIndex`. Sagittal/coronal: the volume viewport,
 * centred. Labelmaps are re-attached either way.
 */
export async function showOrientation(
  view: PaneView,
  orientation: Orientation,
  axialIndex: number,
): Promise<Types.IStackViewport | Types.IVolumeViewport> {
  const core = await import("@cornerstonejs/core");
  const tools = await import("@cornerstonejs/tools");
  const { engine, viewportId, element } = view;
  await detachLabelmaps(view);
  if (orientation === "axial") {
    engine.enableElement({
      viewportId,
      type: core.Enums.ViewportType.STACK,
      element,
      defaultOptions: { background: [0, 0, 0] },
    });
    tools.ToolGroupManager.getToolGroup(view.stackToolGroupId)?.addViewport(viewportId, engine.id);
    const vp = engine.getViewport(viewportId) as Types.IStackViewport;
    await vp.setStack(view.imageIds, axialIndex);
    for (const h of view.labelmaps) await showLabelmap(viewportId, h);
    vp.render();
    await freePaneVolumes(view);
    return vp;
  }
  // every image is cached by now (the labelmaps need that too), so this builds the volume synchronously from them
  const volume = await core.volumeLoader.createAndCacheVolumeFromImages(volumeIdFor(view.seriesId), view.imageIds);
  const axis = orientation === "sagittal" ? core.Enums.OrientationAxis.SAGITTAL : core.Enums.OrientationAxis.CORONAL;
  engine.enableElement({
    viewportId,
    type: core.Enums.ViewportType.ORTHOGRAPHIC,
    element,
    defaultOptions: { orientation: axis, background: [0, 0, 0] },
  });
  // the navigation-only group, made on the first switch (nothing added before the first image)
  (await ensureToolGroup(TOOL_GROUPS.mpr)).addViewport(viewportId, engine.id);
  const vp = engine.getViewport(viewportId) as Types.IVolumeViewport;
  await vp.setVolumes([{ volumeId: volume.volumeId }]);
  vp.setOrientation(axis);
  for (const h of view.labelmaps) await showLabelmap(viewportId, h);
  vp.render();
  return vp;
}

/**
 * World position (mm, patient coordinates) of the centroid of a volume-order mask on a series grid, or null for an
 * empty mask. Used to open a reformatted view through the tumour rather than through the middle of the volume.
 * direction is row-major: the i, j and k axis unit vectors one after the other (as in lib/imaging).
 */
export function maskCentroidWorld(
  mask: ArrayLike<number>,
  g: { dims: number[]; spacing: number[]; origin: number[]; direction: number[] },
): [number, number, number] | null {
  const [nx, ny, nz] = g.dims;
  if (mask.length !== nx * ny * nz)
    throw new Error(`maskCentroidWorld: mask has ${mask.length} voxels, dims give ${nx * ny * nz}`);
  let n = 0,
    si = 0,
    sj = 0,
    sk = 0;
  for (let k = 0, p = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, p++)
        if (mask[p]) {
          n++;
          si += i;
          sj += j;
          sk += k;
        }
  if (n === 0) return null;
  const [ci, cj, ck] = [si / n, sj / n, sk / n];
  const d = g.direction,
    s = g.spacing,
    o = g.origin;
  return [0, 1, 2].map((c) => o[c] + ci * s[0] * d[c] + cj * s[1] * d[3 + c] + ck * s[2] * d[6 + c]) as [
    number,
    number,
    number,
  ];
}
