"use client";

import { EmptyPane } from "./EmptyPane";
import { FreehandOverlay } from "./FreehandOverlay";
import { SeedOverlay } from "./SeedOverlay";
import type { SeedKind } from "./useAssistedSegmentation";
import { shortcutLabel } from "./key-map";
import { ORIENTATIONS, type Orientation } from "./mpr";
import { PANE_ROLES, presetsFor } from "./presets";
import { roleLabel } from "@/lib/imaging/series/roles";
import type { ViewerSeries } from "./series-stack";
import { PaneOverlay } from "./PaneOverlay";
import type { PaneState } from "./pane-events";

/**
 * One pane of the viewer: title (series, manual-role badge), orientation buttons and window preset, the Cornerstone
 * element (and the freehand overlay over it while that tool is on), slice position and loading progress.
 */
export function ViewerPane(props: {
  index: number;
  series: ViewerSeries | null;
  state: PaneState;
  active: boolean;
  /** hidden while another pane is maximised (kept mounted: its viewport stays enabled) */
  hidden: boolean;
  maximised: boolean;
  /** for an empty pane: the patient's series shown nowhere else, and whether this user may change roles */
  candidates: ViewerSeries[];
  canSetRole: boolean;
  readOnlyReason: string | null;
  onShowSeries: (seriesId: string) => void;
  onToggleMaximise: () => void;
  /** the pointer left the image (tools drop their hover cursor) */
  onLeave: () => void;
  /** the whole stack is loaded (orientation switching and ROI tools need it) */
  ready: boolean;
  /** the freehand tool is on and this pane may be edited */
  freehand: boolean;
  /** the one-click tool is on and this pane may be edited */
  grow: boolean;
  onSeed: (canvas: [number, number], kind: SeedKind) => Promise<readonly number[] | undefined>;
  setElement: (el: HTMLDivElement | null) => void;
  onActivate: () => void;
  onOrientation: (o: Orientation) => void;
  onPreset: (presetId: string) => void;
  onOutline: (points: [number, number][]) => void;
  onWheel: (direction: 1 | -1) => void;
}) {
  const {
    index: i,
    series: s,
    state,
    ready,
    setElement,
    onActivate,
    onOrientation,
    onPreset,
    onOutline,
    onWheel,
    onToggleMaximise,
    onLeave,
  } = props;
  const paneRole = roleLabel(PANE_ROLES[i]);
  return (
    <div
      className={`flex flex-col rounded border ${props.active ? "border-accent-400" : "border-room-700"} bg-black ${props.hidden ? "hidden" : ""} ${props.maximised ? "col-span-3" : ""}`}
      onMouseDown={onActivate}
      data-testid={`pane-${i}`}
    >
      <div className="flex items-center justify-between bg-room-900 px-2 py-1 text-xs text-ink-300">
        <span data-testid={`pane-title-${i}`}>
          {s ? `${roleLabel(s.role)} · ${s.description ?? s.modality}` : `${paneRole} · no series`}
          {s?.roleSource === "manual" && (
            <span
              className="ml-1 rounded bg-room-700 px-1 text-ink-300"
              title="series role set by hand, not by the classifier"
            >
              manual role
            </span>
          )}
        </span>
        {s && (
          <span className="flex" role="group" aria-label={`Orientation ${paneRole}`}>
            {ORIENTATIONS.map((o) => (
              <button
                key={o.id}
                type="button"
                data-testid={`orientation-${i}-${o.id}`}
                aria-pressed={state.orientation === o.id}
                disabled={!ready}
                title={
                  ready
                    ? `${o.label} (${shortcutLabel((a) => a.kind === "orientation" && a.orientation === o.id)})`
                    : `${o.label}: available once the series has loaded`
                }
                onClick={() => {
                  onActivate();
                  onOrientation(o.id);
                }}
                className={`border border-room-600 px-1 first:rounded-l last:rounded-r disabled:opacity-40 ${state.orientation === o.id ? "bg-room-700 text-accent-400" : ""}`}
              >
                {o.label[0]}
              </button>
            ))}
          </span>
        )}
        {s && (
          <select
            aria-label={`Window preset ${paneRole}`}
            data-testid={`preset-${i}`}
            value={state.preset}
            onChange={(e) => onPreset(e.target.value)}
            className="rounded bg-room-800 px-1"
          >
            {presetsFor(s.modality).map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        )}
      </div>
      <div className={`relative w-full ${props.maximised ? "h-[720px]" : "h-[360px]"}`}>
        <div
          ref={setElement}
          data-testid={`viewport-${i}`}
          className="relative h-full w-full"
          onContextMenu={(e) => e.preventDefault()}
          onDoubleClick={onToggleMaximise}
          onMouseLeave={onLeave}
          title={props.maximised ? "double-click: back to three panes" : "double-click: maximise"}
        />
        {s && <PaneOverlay index={i} overlay={state.overlay} />}
        {!s && (
          <EmptyPane
            index={i}
            candidates={props.candidates}
            canSetRole={props.canSetRole}
            readOnlyReason={props.readOnlyReason}
            onShow={props.onShowSeries}
          />
        )}
        {s && props.grow && <SeedOverlay testId={`seed-${i}`} onSeed={props.onSeed} onWheel={onWheel} />}
        {s && props.freehand && <FreehandOverlay testId={`freehand-${i}`} onOutline={onOutline} onWheel={onWheel} />}
      </div>
      {s && (
        <div className="flex justify-between px-2 py-1 text-xs text-ink-500">
          <span data-testid={`slice-${i}`}>
            {state.orientation === "axial" ? "slice" : state.orientation} {state.index + 1} / {state.viewCount}
          </span>
          {state.loaded < state.count && (
            <span data-testid={`loading-${i}`} className="flex items-center gap-1">
              loading
              <progress max={state.count} value={state.loaded} className="h-1 w-16" />
            </span>
          )}
        </div>
      )}
    </div>
  );
}
