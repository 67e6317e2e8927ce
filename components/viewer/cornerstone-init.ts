/**
 * One-time Cornerstone3D initialisation in the browser. Order matters: core, then the DICOM image loader, then tools.
 * Guarded by a module-level promise because React StrictMode mounts effects twice in development.
 */
let ready: Promise<void> | null = null;

export function initCornerstone(): Promise<void> {
  ready ??= (async () => {
    // The three packages are fetched in parallel (one round trip, not three in a row); they are initialised in order.
    const [core, loader, tools] = await Promise.all([import("@cornerstonejs/core"), import("@cornerstonejs/dicom-image-loader"), import("@cornerstonejs/tools")]);
    await core.init();
    // One decode worker: the images are small and the reading-room PCs are shared; two cores here.
    loader.init({ maxWebWorkers: 1 });
    tools.init();
    for (const T of [tools.WindowLevelTool, tools.PanTool, tools.ZoomTool, tools.StackScrollTool, tools.BrushTool, tools.SphereScissorsTool]) {
      tools.addTool(T);
    }
  })();
  return ready;
}
