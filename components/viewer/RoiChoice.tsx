"use client";

/** An RTSTRUCT holding several ROIs: the user picks the one to use (the upload is then sent again with its name). */
export function RoiChoice(props: {
  fileName: string;
  rois: { number: number; name: string }[];
  onChoose: (roi: string) => void;
  onCancel: () => void;
}) {
  return (
    <div
      className="flex flex-wrap items-center gap-2 text-ink-300"
      data-testid="rtstruct-choice"
      role="group"
      aria-label="Choose the RTSTRUCT ROI"
    >
      <span>
        {props.fileName} holds {props.rois.length} ROIs: use
      </span>
      {props.rois.map((r) => (
        <button
          key={r.number}
          type="button"
          onClick={() => props.onChoose(r.name)}
          className="rounded border border-accent-400 px-2 py-0.5 text-accent-400"
        >
          {r.name}
        </button>
      ))}
      <button type="button" onClick={props.onCancel} className="rounded border border-room-600 px-2 py-0.5">
        Cancel
      </button>
    </div>
  );
}
