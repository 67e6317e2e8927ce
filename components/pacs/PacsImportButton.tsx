"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import type { z } from "zod";
import { fetchJson, jsonBody } from "@/lib/api/fetch-json";
import { pacsImportResponse } from "@/lib/api/schemas";

type ImportView = z.infer<typeof pacsImportResponse>["import"];

/**
 * Imports PACS studies into NACpredict: starts (or resumes) the import, shows progress while instances are fetched,
 * then a link to the patient. A failure shows the PACS's reason and a Resume button (only missing images are fetched).
 */
export function PacsImportButton(props: { sourceId: string; studyUids: string[]; testId?: string }) {
  const [view, setView] = useState<ImportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const id = props.testId ?? "pacs-import";

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  async function poll(importId: string) {
    let body;
    try {
      body = await fetchJson(`/api/pacs/imports/${importId}`, pacsImportResponse, undefined, "progress");
    } catch (e) {
      setError((e as Error).message);
      return;
    }
    setView(body.import);
    if (body.import.status !== "succeeded" && body.import.status !== "failed")
      timer.current = setTimeout(() => void poll(importId), 500);
  }

  async function start() {
    setError(null);
    let body;
    try {
      body = await fetchJson(
        "/api/pacs/imports",
        pacsImportResponse,
        jsonBody("POST", { sourceId: props.sourceId, studyUids: props.studyUids }),
        "import",
      );
    } catch (e) {
      setError((e as Error).message);
      return;
    }
    setView({ ...body.import, status: body.import.status === "failed" ? "queued" : body.import.status, error: null });
    timer.current = setTimeout(() => void poll(body.import.id), 300);
  }

  const running = view && (view.status === "queued" || view.status === "fetching" || view.status === "importing");
  return (
    <span className="flex flex-wrap items-center gap-2" data-testid={id}>
      {(!view || view.status === "failed") && (
        <button
          type="button"
          onClick={() => void start()}
          className="rounded border border-room-600 px-2 py-0.5 text-sm hover:bg-room-700"
          data-testid={`${id}-start`}
        >
          {view?.status === "failed" ? "Resume import" : "Import into NACpredict"}
        </button>
      )}
      {running && (
        <span className="flex items-center gap-1 text-xs text-ink-300" data-testid={`${id}-progress`}>
          {view.status === "importing"
            ? "checking and storing…"
            : `fetching ${view.fetched} / ${Math.max(0, view.total - view.skipped) || "…"} images`}
          <progress max={Math.max(1, view.total - view.skipped)} value={view.fetched} className="h-1 w-20" />
        </span>
      )}
      {view?.status === "succeeded" && (
        <span className="text-xs text-ok-400" data-testid={`${id}-done`}>
          {view.imported} images imported{view.skipped ? `, ${view.skipped} already here` : ""}.{" "}
          {view.patientIds[0] && (
            <Link
              href={`/patients/${view.patientIds[0]}`}
              className="text-accent-400 hover:underline"
              data-testid={`${id}-open-patient`}
            >
              Open patient
            </Link>
          )}
        </span>
      )}
      {(error || view?.error) && (
        <span role="alert" className="text-xs text-danger-400" data-testid={`${id}-error`}>
          {error ??
            `${view!.error!.message}${view!.resumable ? " (nothing was added; resume to continue where it stopped)" : ""}`}
        </span>
      )}
    </span>
  );
}
