"use client";
import * as echarts from "echarts";
import { useEffect, useRef } from "react";

/**
 * One Apache ECharts chart (why ECharts: maintained by Apache, both a canvas and an SVG renderer from one option
 * object, so the same chart exports as PNG and as a true vector SVG without a second drawing library).
 * Shown on canvas; PNG = the canvas at 2x on white; SVG = the same option rendered by ECharts' SVG renderer.
 */
export function EChart({
  option,
  title,
  fileName,
  height = 320,
  testId,
}: {
  option: echarts.EChartsCoreOption;
  title: string;
  fileName: string;
  height?: number;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: "canvas" });
    chart.current = c;
    const onResize = () => c.resize();
    window.addEventListener("resize", onResize);
    return () => {
      window.removeEventListener("resize", onResize);
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: false, backgroundColor: "#ffffff", ...option }, true);
  }, [option]);

  const download = (href: string, ext: string) => {
    const a = document.createElement("a");
    a.href = href;
    a.download = `${fileName}.${ext}`;
    document.body.appendChild(a);
    a.click();
    a.remove();
  };
  const png = () => {
    const url = chart.current?.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" });
    if (url) download(url, "png");
  };
  const svg = () => {
    const width = ref.current?.clientWidth ?? 640;
    const s = echarts.init(null as unknown as HTMLElement, undefined, { renderer: "svg", ssr: true, width, height });
    s.setOption({ animation: false, backgroundColor: "#ffffff", ...option });
    const text = s.renderToSVGString();
    s.dispose();
    const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
    download(url, "svg");
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <figure className="flex flex-col gap-1" data-testid={testId}>
      <figcaption className="flex items-center justify-between text-sm">
        <span className="font-semibold">{title}</span>
        <span className="flex gap-2">
          <button
            type="button"
            onClick={png}
            className="rounded border border-room-600 px-2 text-xs text-ink-300 hover:text-ink-100"
          >
            PNG
          </button>
          <button
            type="button"
            onClick={svg}
            className="rounded border border-room-600 px-2 text-xs text-ink-300 hover:text-ink-100"
          >
            SVG
          </button>
        </span>
      </figcaption>
      <div ref={ref} style={{ height }} className="w-full rounded bg-white" role="img" aria-label={title} />
    </figure>
  );
}
