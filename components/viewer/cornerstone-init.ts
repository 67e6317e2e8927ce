/**
 * One-time Cornerstone3D initialisation in the browser. Order matters: core, then the DICOM image loader, then tools.
 * Guarded by a module-level promise because React StrictMode mounts effects twice in development.
 */
let ready: Promise<void> | null = null;

export function initCornerstone(): Promise<void> {
  ready ??= (async () => {
    const core = await import("@cornerstonejs/core");
    const loader = await import("@cornerstonejs/dicom-image-loader");
    const tools = await import("@cornerstonejs/tools");
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
