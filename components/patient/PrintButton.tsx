"use client";

export function PrintButton() {
  return (
    <button type="button" onClick={() => window.print()} className="rounded border px-2 py-1">
      Print
    </button>
  );
}
