/** Persistent on every page: NACpredict is research software. */
export function ResearchBanner() {
  return (
    <div
      role="note"
      data-testid="research-banner"
      className="sticky top-0 z-50 w-full bg-warn-400 px-4 py-1 text-center text-sm font-semibold text-room-950"
    >
      Research use only — not for clinical decision making
    </div>
  );
}
