"use client";

/**
 * One-click 3D tumour segmentation on a pane with the seg engine in lib/imaging/assisted-segmentation
 * (Cornerstone3D's grow-cut needs WebGPU, see there). A click seeds a new lesion; shift-click adds a foreground seed,
 * alt-click a background seed, and the lesion is grown again from all seeds. Each result is written into the tumour
 * labelmap as one step of Cornerstone's undo history (the labelmap's other voxels, drawn before the first click, are
 * kept), so brush, eraser, undo/redo and Save work on it as on any edit; the save then records source "assisted".
 */
import { useRef, type RefObject } from "react";
import type { RenderingEngine, Types } from "@cornerstonejs/core";
import { growTumourMask, type LesionPolarity } from "@/lib/imaging/assisted-segmentation";
import { lpsToIndex } from "@/lib/imaging/geometry";
import { makeVolume, type Direction, type Vec3 } from "@/lib/imaging/volume";
import { applySlicesUndoable, readLabelmap, type LabelmapHandle } from "./roi-layer";
import { sliceSizeOf, viewportIdOf, type ViewerSeries } from "./series-stack";
import type { RoiMessage } from "./useRoiLayers";

export type SeedKind = "new" | "foreground" | "background";

interface PaneSeeds {
  foreground: Vec3[];
  background: Vec3[];
  /** the tumour labelmap before the first click: the grown lesion is added to it */
  base: Uint8Array;
}

export function useAssistedSegmentation(opts: {
  panes: (ViewerSeries | null)[];
  engineRef: RefObject<RenderingEngine | null>;
  imageIdsOf: (i: number) => string[];
  tumourOf: (i: number) => LabelmapHandle | null;
  /** bright or dark lesion on pane i (lesion-polarity.ts) */
  polarityOf: (i: number) => LesionPolarity;
  report: (m: RoiMessage) => void;
  /** the next save of pane i is "assisted" (until the ROI is saved) */
  onAssisted: (i: number) => void;
}) {
  const seeds = useRef<(PaneSeeds | null)[]>(opts.panes.map(() => null));

  async function clickAt(i: number, canvas: [number, number], kind: SeedKind) {
    const s = opts.panes[i];
    const h = opts.tumourOf(i);
    const vp = opts.engineRef.current?.getViewport(viewportIdOf(i)) as Types.IStackViewport | undefined;
    if (!s || !h || !vp) return;
    const core = await import("@cornerstonejs/core");
    const t0 = performance.now();
    const nz = h.labelmapImageIds.length;
    const geometry = {
      dims: [s.dims[0], s.dims[1], nz] as Vec3,
      spacing: s.geometry.spacing as Vec3,
      origin: s.geometry.origin as Vec3,
      direction: s.geometry.direction as Direction,
    };
    const ijk = lpsToIndex(geometry, vp.canvasToWorld(canvas) as unknown as Vec3).map(Math.round) as Vec3;
    const size = sliceSizeOf(s);
    const current = await readLabelmap(h, size);
    let st = seeds.current[i];
    if (kind === "new" || !st) st = { foreground: [], background: [], base: current };
    if (kind === "background") st.background.push(ijk);
    else st.foreground.push(ijk);
    seeds.current[i] = st;
    if (st.foreground.length === 0) {
      opts.report({ kind: "error", text: "click inside the lesion first (alt-click marks background)" });
      return;
    }
    // the series' intensities as one volume, from the cached slices (all cached once the pane is ready)
    const data = new Float32Array(size * nz);
    opts.imageIdsOf(i).forEach((id, k) => {
      const px = core.cache.getImage(id)?.voxelManager?.getScalarData() as ArrayLike<number> | undefined;
      if (px) data.set(px as ArrayLike<number>, k * size);
    });
    try {
      const r = growTumourMask(
        makeVolume(data, geometry),
        { foreground: st.foreground, background: st.background },
        { polarity: opts.polarityOf(i) },
      );
      const next = st.base.slice();
      for (let p = 0; p < next.length; p++) if (r.mask.data[p]) next[p] = 1;
      const changed = new Map<number, Uint8Array>();
      for (let k = 0; k < nz; k++) {
        const a = next.subarray(k * size, (k + 1) * size);
        const b = current.subarray(k * size, (k + 1) * size);
        if (a.some((v, p) => v !== b[p])) changed.set(k, a.slice());
      }
      if (changed.size) await applySlicesUndoable(h, changed, size, () => opts.engineRef.current?.render());
      opts.engineRef.current?.render();
      opts.onAssisted(i);
      const ms = Math.round(performance.now() - t0);
      const what =
        kind === "background" ? "background seed added" : kind === "foreground" ? "seed added" : "lesion grown";
      // the polarity the engine used (not the one asked for): what the user sees is what ran
      opts.report({
        kind: "ok",
        text: `${r.polarity} ${what}: ${r.voxelCount} voxels in ${ms} ms (${st.foreground.length} + ${st.background.length} seeds; shift-click adds, alt-click removes)`,
      });
    } catch (e) {
      opts.report({ kind: "error", text: `one-click segmentation: ${(e as Error).message}` });
    }
  }

  return { clickAt, reset: (i: number) => (seeds.current[i] = null) };
}
