/**
 * Cornerstone3D 5.14 holds a click's mouse down and up back for 400 ms to tell it from a double click (tools'
 * mouseDownListener, DOUBLE_CLICK_TOLERANCE_MS) and then hands both to the tool active *at that moment*. A tool chosen
 * (W, B, a toolbar button), a brush size changed or an undo run within those 400 ms took the click meant for the tool
 * the user clicked with: a brush click followed at once by W painted nothing. Such changes wait here until the pending
 * click has reached the tools. Not a workaround to remove: as long as Cornerstone defers clicks, this ordering is ours.
 */

/** Longer than Cornerstone's 400 ms: the latest a click held back is handed on after its button came up. */
export const CLICK_SETTLE_MS = 500;

export class ClickGate {
  private pending: { promise: Promise<void>; release: () => void; timer: ReturnType<typeof setTimeout> | null } | null =
    null;

  constructor(private readonly settleMs = CLICK_SETTLE_MS) {}

  /** A mouse button went down on a pane: what it does is not decided yet. */
  down(): void {
    if (this.pending) return;
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    const p = { promise, release: () => {}, timer: null as ReturnType<typeof setTimeout> | null };
    p.release = () => {
      if (p.timer) clearTimeout(p.timer);
      if (this.pending === p) this.pending = null;
      release();
    };
    this.pending = p;
  }

  /** The button came up (anywhere): Cornerstone hands the click on within its tolerance, or never (a double click). */
  up(): void {
    const p = this.pending;
    if (p && !p.timer) p.timer = setTimeout(p.release, this.settleMs);
  }

  /** Cornerstone handed the click (or the end of a drag) to the tools. */
  dispatched(): void {
    this.pending?.release();
  }

  /** Resolves once no click is waiting to reach the tools (at once when none is). */
  settled(): Promise<void> {
    return this.pending?.promise ?? Promise.resolve();
  }
}

/** One gate for the page: Cornerstone's pending-click state is one per page too. */
export const clickGate = new ClickGate();

/** Feed the gate from a pane's element; returns the cleanup. `toolEvents`: Cornerstone tools' Events enum. */
export function watchClicks(el: HTMLElement, toolEvents: { MOUSE_UP: string; MOUSE_CLICK: string }): () => void {
  const down = (e: MouseEvent) => {
    if (e.button === 0) clickGate.down();
  };
  const up = () => clickGate.up();
  const dispatched = () => clickGate.dispatched();
  el.addEventListener("mousedown", down);
  document.addEventListener("mouseup", up);
  el.addEventListener(toolEvents.MOUSE_UP, dispatched);
  el.addEventListener(toolEvents.MOUSE_CLICK, dispatched);
  return () => {
    el.removeEventListener("mousedown", down);
    document.removeEventListener("mouseup", up);
    el.removeEventListener(toolEvents.MOUSE_UP, dispatched);
    el.removeEventListener(toolEvents.MOUSE_CLICK, dispatched);
  };
}
