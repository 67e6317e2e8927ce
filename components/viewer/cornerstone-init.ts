/**
 * One-time Cornerstone3D initialisation in the browser. Order matters: core, then the DICOM image loader, then tools.
 * Guarded by a module-level promise because React StrictMode mounts effects twice in development.
 */
import { TOOL_CLASSES_USED } from "./tool-groups";

let ready: Promise<void> | null = null;

export function initCornerstone(): Promise<void> {
  ready ??= (async () => {
    // The three packages are fetched in parallel (one round trip, not three in a row); they are initialised in order.
    const [core, loader, tools] = await Promise.all([
      import("@cornerstonejs/core"),
      import("@cornerstonejs/dicom-image-loader"),
      import("@cornerstonejs/tools"),
    ]);
    // One WebGL context per pane: creating the default pool of 7 took ~54 ms before the first image (CPU profile,
    // SwiftShader), for viewports that never exist (the hanging protocol has three panes, MPR reuses them).
    const defaults = core.getConfiguration();
    await core.init({ ...defaults, rendering: { ...defaults.rendering, webGlContextCount: 3 } });
    // One decode worker: the images are small and the reading-room PCs are shared; two cores here.
    // Workaround: Cornerstone3D 5.x parses each DICOM file on the main thread with dcmjs's regenerator-transpiled async
    // reader: ~110 ms of main thread before the three first images in a CPU profile of a warm page load, against ~12 ms
    // with the dicom-parser path ("legacy metadata provider"), which gives the same image modules. Remove when
    // @cornerstonejs/metadata parses faster or off the main thread (profile a page load to check).
    loader.init({ maxWebWorkers: 1, useLegacyMetadataProvider: true });
    tools.init();
    // every tool class the tool groups (tool-groups.ts) use, found by its toolName
    const byName = new Map(
      Object.values(tools).flatMap((T) =>
        typeof T === "function" && "toolName" in T && typeof T.toolName === "string" ? [[T.toolName, T] as const] : [],
      ),
    );
    for (const name of TOOL_CLASSES_USED) {
      const T = byName.get(name);
      if (!T) throw new Error(`Cornerstone3D has no tool named ${name}`);
      tools.addTool(T as Parameters<typeof tools.addTool>[0]);
    }
  })();
  return ready;
}
