/**
 * Labelmap ROI editing on a stack viewport with Cornerstone3D segmentations (browser only).
 * The tumour is segment 1 of an editable labelmap; the peritumoral shell (computed by the server with lib/imaging, the
 * same code the features use) is a second, read-only labelmap drawn underneath in another colour.
 * Labelmap slice k corresponds to the stack's image k, which is volume slice k (the server orders stacks by volume).
 */
import type { Types } from "@cornerstonejs/core";

export const TOOL_NAMES = {
  brush: "NacBrush",
  eraser: "NacEraser",
  threshold: "NacThresholdBrush",
  sphere: "SphereScissor",
} as const;
/** Cornerstone tools plus our freehand outline (captured by the pane itself, see freehand.ts). */
export type EditTool = keyof typeof TOOL_NAMES | "freehand";

export interface LabelmapHandle {
  segmentationId: string;
  labelmapImageIds: string[];
  color: [number, number, number, number];
  editable: boolean;
}

export async function addLabelmap(
  viewportId: string,
  imageIds: string[],
  segmentationId: string,
  opts: { color: [number, number, number, number]; editable: boolean },
): Promise<LabelmapHandle> {
  const core = await import("@cornerstonejs/core");
  const tools = await import("@cornerstonejs/tools");
  if (tools.segmentation.state.getSegmentation(segmentationId)) tools.segmentation.removeSegmentation(segmentationId);
  const images = core.imageLoader.createAndCacheDerivedLabelmapImages(imageIds);
  const labelmapImageIds = images.map((i) => i.imageId);
  tools.segmentation.addSegmentations([
    {
      segmentationId,
      representation: { type: tools.Enums.SegmentationRepresentations.Labelmap, data: { imageIds: labelmapImageIds } },
    },
  ]);
  const h = { segmentationId, labelmapImageIds, color: opts.color, editable: opts.editable };
  await showLabelmap(viewportId, h);
  return h;
}

/**
 * Show an existing labelmap in a viewport (again, e.g. after the pane was switched between stack and volume view).
 * On a volume viewport Cornerstone builds a volume over the same labelmap images, so the reformatted view shows the
 * same voxels the axial editing changes.
 */
export async function showLabelmap(viewportId: string, h: LabelmapHandle): Promise<void> {
  const tools = await import("@cornerstonejs/tools");
  await tools.segmentation.addLabelmapRepresentationToViewportMap({
    [viewportId]: [{ segmentationId: h.segmentationId }],
  });
  tools.segmentation.config.color.setSegmentIndexColor(viewportId, h.segmentationId, 1, h.color as Types.Color);
  if (h.editable) {
    tools.segmentation.activeSegmentation.setActiveSegmentation(viewportId, h.segmentationId);
    tools.segmentation.segmentIndex.setActiveSegmentIndex(h.segmentationId, 1);
  }
}

/** Volume-order mask (one byte per voxel) from the labelmap images. */
export async function readLabelmap(h: LabelmapHandle, sliceSize: number): Promise<Uint8Array> {
  const core = await import("@cornerstonejs/core");
  const out = new Uint8Array(sliceSize * h.labelmapImageIds.length);
  h.labelmapImageIds.forEach((id, k) => {
    const img = core.cache.getImage(id);
    const data = img?.voxelManager?.getScalarData() as ArrayLike<number> | undefined;
    if (!data) return;
    for (let p = 0; p < sliceSize; p++) out[k * sliceSize + p] = data[p] ? 1 : 0;
  });
  return out;
}

export async function writeLabelmap(h: LabelmapHandle, mask: Uint8Array, sliceSize: number): Promise<void> {
  const core = await import("@cornerstonejs/core");
  const tools = await import("@cornerstonejs/tools");
  h.labelmapImageIds.forEach((id, k) => {
    const img = core.cache.getImage(id);
    const vm = img?.voxelManager;
    if (!vm) return;
    const data = vm.getScalarData() as Uint8Array;
    for (let p = 0; p < sliceSize; p++) data[p] = mask[k * sliceSize + p] ? 1 : 0;
    vm.setScalarData?.(data);
  });
  tools.segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(h.segmentationId);
}

/** Copy of labelmap slice k (one byte per pixel, 0/1). */
export async function readLabelmapSlice(h: LabelmapHandle, k: number, sliceSize: number): Promise<Uint8Array> {
  const core = await import("@cornerstonejs/core");
  const data = core.cache.getImage(h.labelmapImageIds[k])?.voxelManager?.getScalarData() as
    ArrayLike<number> | undefined;
  if (!data) throw new Error(`labelmap slice ${k} is not loaded`);
  const out = new Uint8Array(sliceSize);
  for (let p = 0; p < sliceSize; p++) out[p] = data[p] ? 1 : 0;
  return out;
}

/** Overwrite some labelmap slices (k → 0/1 pixels) and tell the viewports. */
export async function writeLabelmapSlices(
  h: LabelmapHandle,
  slices: ReadonlyMap<number, Uint8Array>,
  sliceSize: number,
): Promise<void> {
  const core = await import("@cornerstonejs/core");
  const tools = await import("@cornerstonejs/tools");
  for (const [k, pixels] of slices) {
    const vm = core.cache.getImage(h.labelmapImageIds[k])?.voxelManager;
    if (!vm) throw new Error(`labelmap slice ${k} is not loaded`);
    const data = vm.getScalarData() as Uint8Array;
    for (let p = 0; p < sliceSize; p++) data[p] = pixels[p] ? 1 : 0;
    vm.setScalarData?.(data);
  }
  tools.segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(h.segmentationId);
}

/**
 * Apply a change to some slices as one step of Cornerstone's undo history (the ring the brush tools use, so Ctrl+Z
 * walks back through brush strokes, freehand fills and interpolation in the order they were made). Only the changed
 * slices are kept, before and after.
 */
export async function applySlicesUndoable(
  h: LabelmapHandle,
  after: ReadonlyMap<number, Uint8Array>,
  sliceSize: number,
  onRestore?: () => void,
): Promise<void> {
  const core = await import("@cornerstonejs/core");
  const before = new Map<number, Uint8Array>();
  for (const k of after.keys()) before.set(k, await readLabelmapSlice(h, k, sliceSize));
  await writeLabelmapSlices(h, after, sliceSize);
  // No memo id: with an id the history dispatches HISTORY_UNDO/REDO events that annotation listeners would act on.
  core.utilities.HistoryMemo.DefaultHistoryMemo.push({
    restoreMemo: (undo?: boolean) => {
      void writeLabelmapSlices(h, undo ? before : after, sliceSize).then(onRestore);
    },
  });
}

export async function gzip(bytes: Uint8Array): Promise<Blob> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Response(stream).blob();
}

export async function gunzip(res: Response): Promise<Uint8Array> {
  const stream = res.body!.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
