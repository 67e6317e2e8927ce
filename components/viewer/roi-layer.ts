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
export type EditTool = keyof typeof TOOL_NAMES;

export interface LabelmapHandle {
  segmentationId: string;
  labelmapImageIds: string[];
}

export async function addLabelmap(viewportId: string, imageIds: string[], segmentationId: string, opts: { color: [number, number, number, number]; editable: boolean }): Promise<LabelmapHandle> {
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
  await tools.segmentation.addLabelmapRepresentationToViewportMap({ [viewportId]: [{ segmentationId }] });
  tools.segmentation.config.color.setSegmentIndexColor(viewportId, segmentationId, 1, opts.color as Types.Color);
  if (opts.editable) {
    tools.segmentation.activeSegmentation.setActiveSegmentation(viewportId, segmentationId);
    tools.segmentation.segmentIndex.setActiveSegmentIndex(segmentationId, 1);
  }
  return { segmentationId, labelmapImageIds };
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

export async function gzip(bytes: Uint8Array): Promise<Blob> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Response(stream).blob();
}

export async function gunzip(res: Response): Promise<Uint8Array> {
  const stream = res.body!.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
