"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson, jsonBody } from "@/lib/api/fetch-json";
import { boardSessionCreatedResponse } from "@/lib/api/schemas";
import { CheckboxGroup } from "../forms/CheckboxGroup";

export interface BuilderPatient {
  id: string;
  displayName: string;
  patientKey: string;
}

/** Builds a tumour-board session from the worklist: choose patients, order them, say what the screen may show. */
export function BoardBuilder({ patients }: { patients: BuilderPatient[] }) {
  const router = useRouter();
  const [title, setTitle] = useState("");
  const [chosen, setChosen] = useState<string[]>([]);
  const [showName, setShowName] = useState(true);
  const [showPatientKey, setShowPatientKey] = useState(true);
  const [status, setStatus] = useState<string | null>(null);
  const byId = new Map(patients.map((p) => [p.id, p]));

  const move = (i: number, d: -1 | 1) =>
    setChosen((c) => {
      const j = i + d;
      if (j < 0 || j >= c.length) return c;
      const next = c.slice();
      [next[i], next[j]] = [next[j], next[i]];
      return next;
    });

  async function save() {
    setStatus(null);
    let body;
    try {
      body = await fetchJson(
        "/api/board/sessions",
        boardSessionCreatedResponse,
        jsonBody("POST", { title, patientIds: chosen, showName, showPatientKey }),
        "saving",
      );
    } catch (e) {
      return setStatus((e as Error).message);
    }
    setStatus(`Saved "${body.session.title}"`);
    setChosen([]);
    setTitle("");
    router.refresh();
  }

  return (
    <section
      aria-label="New board session"
      className="flex flex-col gap-3 rounded border border-room-700 bg-room-900 p-3"
      data-testid="board-builder"
    >
      <h2 className="font-semibold">New board session</h2>
      <label className="flex items-center gap-2 text-sm">
        Title
        <input
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          name="title"
          className="w-80 rounded border border-room-600 bg-room-950 px-2 py-1"
        />
      </label>
      <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
        <CheckboxGroup
          label="Worklist"
          labelClassName="mb-1 text-ink-300"
          className="flex max-h-80 flex-col gap-1 overflow-auto text-sm"
          options={patients.map((p) => ({
            value: p.id,
            label: (
              <>
                {p.displayName} <span className="text-ink-500">{p.patientKey}</span>
              </>
            ),
            testId: `board-pick-${p.patientKey}`,
          }))}
          selected={chosen}
          onChange={setChosen}
        />
        <div className="flex flex-col gap-1 text-sm">
          <span className="text-ink-300">Order presented</span>
          <ol className="flex flex-col gap-1" data-testid="board-order">
            {chosen.map((id, i) => (
              <li key={id} className="flex items-center gap-2">
                <span className="w-6 text-right text-ink-500">{i + 1}.</span>
                <span className="flex-1">{byId.get(id)?.displayName}</span>
                <button
                  type="button"
                  aria-label={`move ${byId.get(id)?.displayName} up`}
                  onClick={() => move(i, -1)}
                  className="rounded border border-room-600 px-1"
                >
                  ↑
                </button>
                <button
                  type="button"
                  aria-label={`move ${byId.get(id)?.displayName} down`}
                  onClick={() => move(i, 1)}
                  className="rounded border border-room-600 px-1"
                >
                  ↓
                </button>
              </li>
            ))}
            {chosen.length === 0 && <li className="text-ink-500">Tick patients in the worklist.</li>}
          </ol>
          <label className="mt-2 flex items-center gap-2">
            <input type="checkbox" checked={showName} onChange={(e) => setShowName(e.target.checked)} name="showName" />{" "}
            show patient name on screen
          </label>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={showPatientKey}
              onChange={(e) => setShowPatientKey(e.target.checked)}
              name="showPatientKey"
            />{" "}
            show patient ID on screen
          </label>
        </div>
      </div>
      <div className="flex items-center gap-3">
        <button
          type="button"
          onClick={save}
          disabled={chosen.length === 0 || !title.trim()}
          className="rounded bg-accent-400 px-3 py-1 text-sm font-semibold text-room-950 disabled:opacity-50"
        >
          Save session
        </button>
        {status && (
          <span role="status" data-testid="board-status" className="text-sm text-ink-300">
            {status}
          </span>
        )}
      </div>
    </section>
  );
}
