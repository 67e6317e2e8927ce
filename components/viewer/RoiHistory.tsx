"use client";

import type { RoiInfo } from "./RoiPanel";

/** The ROI versions of the active pane's series, newest first: who saved each, when, how (drawn, uploaded, ...). */
export function RoiHistory({ versions }: { versions: RoiInfo[] }) {
  return (
    <details className="text-ink-300" data-testid="roi-history">
      <summary className="cursor-pointer">History ({versions.length})</summary>
      {versions.length === 0 ? (
        <p className="text-ink-500">no version saved</p>
      ) : (
        <table className="mt-1 text-left">
          <thead className="text-ink-500">
            <tr>
              <th className="pr-3 font-normal">Version</th>
              <th className="pr-3 font-normal">Source</th>
              <th className="pr-3 font-normal">Saved by</th>
              <th className="pr-3 font-normal">When</th>
              <th className="pr-3 font-normal">Voxels</th>
              <th className="font-normal">Volume</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((r) => (
              <tr key={r.id} data-testid={`roi-version-${r.version}`}>
                <td className="pr-3">{r.version}</td>
                <td className="pr-3">{r.source}</td>
                <td className="pr-3">{r.author?.displayName ?? r.author?.username ?? "(system)"}</td>
                <td className="pr-3">{new Date(r.createdAt).toLocaleString()}</td>
                <td className="pr-3">{r.voxelCount}</td>
                <td>{(r.volumeMm3 / 1000).toFixed(2)} mL</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
