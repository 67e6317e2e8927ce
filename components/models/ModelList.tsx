"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson } from "@/lib/api/fetch-json";
import { modelImportResponse, objectResponse } from "@/lib/api/schemas";

interface Model {
  id: string;
  bundleId: string;
  version: string;
  name: string;
  isActive: boolean;
  isDemo: boolean;
  sha256: string;
  createdAt: string;
  source: string;
  experimentId: string | null;
  featureSet: string | null;
  predictions: number;
}

export function ModelList({ models, canActivate }: { models: Model[]; canActivate: boolean }) {
  const router = useRouter();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const activate = async (m: Model) => {
    if (!window.confirm(`Activate ${m.bundleId} ${m.version}? Every new prediction will use it.`)) return;
    setBusy(true);
    try {
      await fetchJson(`/api/models/${m.id}/activate`, objectResponse, { method: "POST" }, "activation");
      setMsg({ ok: true, text: `${m.bundleId} ${m.version} is now the active model.` });
    } catch (e) {
      setMsg({ ok: false, text: (e as Error).message });
    }
    setBusy(false);
    router.refresh();
  };
  const importFile = async (f: File) => {
    setBusy(true);
    try {
      const j = await fetchJson(
        "/api/models/import",
        modelImportResponse,
        { method: "POST", headers: { "content-type": "application/octet-stream" }, body: f },
        "import",
      );
      setMsg({
        ok: true,
        text: `${j.action === "exists" ? "Already registered" : "Imported"} ${j.bundleId} ${j.version} (not active).`,
      });
    } catch (e) {
      setMsg({ ok: false, text: (e as Error).message });
    }
    setBusy(false);
    router.refresh();
  };
  return (
    <div className="flex flex-col gap-3">
      <table className="text-sm" data-testid="model-list">
        <thead className="text-ink-500">
          <tr>
            <th className="pr-3 text-left">Bundle</th>
            <th className="pr-3 text-left">Version</th>
            <th className="pr-3 text-left">Source</th>
            <th className="pr-3 text-left">Registered (UTC)</th>
            <th className="pr-3 text-left">Predictions</th>
            <th className="pr-3 text-left">sha256</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.id} className="border-t border-room-700" data-testid={`model-${m.bundleId}-${m.version}`}>
              <td className="pr-3">
                {m.name}
                {m.isActive && <span className="ml-2 rounded bg-ok-400 px-1 text-xs font-semibold text-room-950">active</span>}
                {m.isDemo && <span className="ml-2 rounded bg-warn-400 px-1 text-xs font-semibold text-room-950">demo</span>}
                <br />
                <span className="font-mono text-xs text-ink-500">{m.bundleId}</span>
              </td>
              <td className="pr-3 font-mono text-xs">{m.version}</td>
              <td className="pr-3 text-xs">
                {m.experimentId ? (
                  <a href={`/experiments/${m.experimentId}`} className="text-accent-400 hover:underline">
                    experiment · {m.featureSet}
                  </a>
                ) : (
                  m.source
                )}
              </td>
              <td className="pr-3">{m.createdAt.slice(0, 16).replace("T", " ")}</td>
              <td className="pr-3">{m.predictions}</td>
              <td className="pr-3 font-mono text-xs">{m.sha256.slice(0, 12)}…</td>
              <td className="flex gap-2">
                <a href={`/api/models/${m.id}/export`} className="rounded border border-room-600 px-2 text-xs text-ink-300 hover:text-ink-100">
                  Export
                </a>
                {canActivate && !m.isActive && (
                  <button type="button" disabled={busy} onClick={() => activate(m)} className="rounded bg-accent-400 px-2 text-xs font-semibold text-room-950 disabled:opacity-50" data-testid="activate-button">
                    Activate
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <label className="text-sm">
        Import a bundle file from another site (refused if any hash does not match){" "}
        <input type="file" accept=".json,.gz,application/json" onChange={(ev) => ev.target.files?.[0] && importFile(ev.target.files[0])} data-testid="import-bundle" />
      </label>
      {msg && (
        <p role={msg.ok ? "status" : "alert"} className={`text-sm ${msg.ok ? "text-ok-400" : "text-danger-400"}`} data-testid="model-message">
          {msg.text}
        </p>
      )}
    </div>
  );
}
