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
import { growTumourMask, growTumourMaskInputBox, type LesionPolarity } from "@/lib/imaging/assisted-segmentation";
import { indexToLps, lpsToIndex } from "@/lib/imaging/geometry";
import { makeVolume, type Direction, type Vec3 } from "@/lib/imaging/volume";
import { applySlicesUndoable, type LabelmapHandle } from "./roi-layer";
import { sliceSizeOf, viewportIdOf, type ViewerSeries } from "./series-stack";
import type { RoiMessage } from "./useRoiLayers";

export type SeedKind = "new" | "foreground" | "background";

interface PaneSeeds {
  foreground: Vec3[];
  background: Vec3[];
  /**
   * Labelmap slices as they were before the first click (read when a result first reaches them): the grown lesion is
   * added to them, so the labelmap's other voxels, drawn before, are kept.
   */
  base: Map<number, Uint8Array>;
}

type Pixels = ArrayLike<number> & { subarray(begin: number, end: number): ArrayLike<number> };

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

  /** Grows the lesion from pane i's seeds after a click at `canvas`; resolves to the clicked voxel (i, j, k). */
  async function clickAt(i: number, canvas: [number, number], kind: SeedKind): Promise<Vec3 | undefined> {
    const s = opts.panes[i];
    const h = opts.tumourOf(i);
    const vp = opts.engineRef.current?.getViewport(viewportIdOf(i)) as Types.IStackViewport | undefined;
    if (!s || !h || !vp) return;
    const core = await import("@cornerstonejs/core");
    const t0 = performance.now();
    // Phase durations as performance measures ("nac:one-click-*"), read by bench/assisted-segmentation.
    let tPhase = t0;
    const phase = (name: string) => {
      const now = performance.now();
      performance.measure(`nac:one-click-${name}`, { start: tPhase, end: now });
      tPhase = now;
    };
    const nz = h.labelmapImageIds.length;
    const geometry = {
      dims: [s.dims[0], s.dims[1], nz] as Vec3,
      spacing: s.geometry.spacing as Vec3,
      origin: s.geometry.origin as Vec3,
      direction: s.geometry.direction as Direction,
    };
    const ijk = lpsToIndex(geometry, vp.canvasToWorld(canvas) as unknown as Vec3).map(Math.round) as Vec3;
    let st = seeds.current[i];
    if (kind === "new" || !st) st = { foreground: [], background: [], base: new Map() };
    if (kind === "background") st.background.push(ijk);
    else st.foreground.push(ijk);
    seeds.current[i] = st;
    if (st.foreground.length === 0) {
      opts.report({ kind: "error", text: "click inside the lesion first (alt-click marks background)" });
      return ijk;
    }
    try {
      // Only the box of the series the engine reads (a 60 mm block around the clicks), from the cached slices (all
      // cached once the pane is ready): on a 512 x 512 x 160 series a twentieth of the voxels.
      const { lo, hi } = growTumourMaskInputBox(geometry, st);
      const nx = geometry.dims[0];
      const [bx, by, bz] = [0, 1, 2].map((a) => hi[a] - lo[a] + 1);
      const data = new Float32Array(bx * by * bz);
      const ids = opts.imageIdsOf(i);
      for (let z = 0; z < bz; z++) {
        const px = core.cache.getImage(ids[z + lo[2]])?.voxelManager?.getScalarData() as Pixels | undefined;
        if (!px) throw new Error(`slice ${z + lo[2] + 1} is not loaded`);
        for (let y = 0; y < by; y++) {
          const row = nx * (y + lo[1]) + lo[0];
          data.set(px.subarray(row, row + bx), bx * (y + by * z));
        }
      }
      phase("volume");
      const shift = (v: Vec3) => v.map((c, a) => c - lo[a]) as Vec3;
      const r = growTumourMask(
        makeVolume(data, { ...geometry, dims: [bx, by, bz], origin: indexToLps(geometry, lo) }),
        { foreground: st.foreground.map(shift), background: st.background.map(shift) },
        { polarity: opts.polarityOf(i) },
      );
      phase("grow");
      // The slices to rewrite: those this result reaches and those an earlier result of this lesion reached (now
      // back to their base where the new result does not cover them).
      const size = sliceSizeOf(s);
      const reached = new Set<number>(st.base.keys());
      const m = r.mask.data;
      for (let z = 0; z < bz; z++) {
        const plane = m.subarray(bx * by * z, bx * by * (z + 1));
        if (plane.includes(1)) reached.add(z + lo[2]);
      }
      const changed = new Map<number, Uint8Array>();
      for (const k of [...reached].sort((a, b) => a - b)) {
        const shown = core.cache.getImage(h.labelmapImageIds[k])?.voxelManager?.getScalarData() as
          ArrayLike<number> | undefined;
        if (!shown) throw new Error(`labelmap slice ${k + 1} is not loaded`);
        let base = st.base.get(k);
        if (!base) {
          base = new Uint8Array(size);
          for (let p = 0; p < size; p++) base[p] = shown[p] ? 1 : 0;
          st.base.set(k, base);
        }
        const next = base.slice();
        const z = k - lo[2];
        if (z >= 0 && z < bz)
          for (let y = 0; y < by; y++)
            for (let x = 0, q = bx * (y + by * z), p = nx * (y + lo[1]) + lo[0]; x < bx; x++, q++, p++)
              if (m[q]) next[p] = 1;
        let differs = false;
        for (let p = 0; p < size && !differs; p++) differs = next[p] !== (shown[p] ? 1 : 0);
        if (differs) changed.set(k, next);
      }
      phase("diff");
      if (changed.size) await applySlicesUndoable(h, changed, size, () => opts.engineRef.current?.render());
      opts.engineRef.current?.render();
      phase("write");
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
    return ijk;
  }

  return { clickAt, reset: (i: number) => (seeds.current[i] = null) };
}
