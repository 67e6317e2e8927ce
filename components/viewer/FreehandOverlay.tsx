"use client";

import { useRef, useState } from "react";

/**
 * Captures a freehand outline over a pane (canvas CSS pixels, relative to the pane) while the freehand tool is on.
 * It sits above the Cornerstone element, so the wheel is passed on to keep slice scrolling under the pen.
 */
export function FreehandOverlay(props: {
  onOutline: (points: [number, number][]) => void;
  onWheel: (direction: 1 | -1) => void;
  testId: string;
}) {
  const [points, setPoints] = useState<[number, number][]>([]);
  const drawing = useRef(false);
  const at = (e: React.PointerEvent<SVGSVGElement>): [number, number] => {
    const r = e.currentTarget.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  return (
    <svg
      data-testid={props.testId}
      className="absolute inset-0 z-10 h-full w-full cursor-crosshair"
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        drawing.current = true;
        setPoints([at(e)]);
      }}
      onPointerMove={(e) => {
        if (!drawing.current) return;
        const p = at(e);
        setPoints((prev) => [...prev, p]);
      }}
      onPointerUp={(e) => {
        if (!drawing.current) return;
        drawing.current = false;
        const outline = [...points, at(e)];
        setPoints([]);
        props.onOutline(outline);
      }}
      onWheel={(e) => props.onWheel(e.deltaY > 0 ? 1 : -1)}
    >
      {points.length > 1 && (
        <polygon
          points={points.map((p) => p.join(",")).join(" ")}
          fill="rgba(248,81,73,0.15)"
          stroke="rgb(248,81,73)"
          strokeWidth={1.5}
        />
      )}
    </svg>
  );
}
