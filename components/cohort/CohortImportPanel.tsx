"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { z } from "zod";
import { fetchJson, jsonBody, type ApiError } from "@/lib/api/fetch-json";
import {
  cohortImportAnswerResponse,
  cohortImportJobResponse,
  cohortReportSchema,
  importRootResponse,
} from "@/lib/api/schemas";
import { ValidationReport, type ReportView } from "./ValidationReport";

type Folder = z.infer<typeof importRootResponse>["folders"][number];
type ImportAnswer = z.infer<typeof cohortImportAnswerResponse>;
type ImportJob = z.infer<typeof cohortImportJobResponse>["job"];

/** A failed import carries its validation report (error details) so the panel can still show it. */
async function call(url: string, init: RequestInit): Promise<ImportAnswer> {
  try {
    return await fetchJson(url, cohortImportAnswerResponse, init, "import");
  } catch (e) {
    const details = (e as Partial<ApiError>).details as { report?: unknown } | undefined;
    const report = cohortReportSchema.safeParse(details?.report);
    throw Object.assign(e as Error, { report: report.success ? report.data : undefined });
  }
}

/**
 * Cohort import: a folder of the server-side import root (set by an administrator) or a zip upload (small cohorts).
 * Step 1 validates and shows the report; step 2 imports — only the valid part, and only when the researcher confirms.
 */
export function CohortImportPanel() {
  const router = useRouter();
  const [folders, setFolders] = useState<Folder[] | null>(null);
  const [configured, setConfigured] = useState(true);
  const [folder, setFolder] = useState("");
  const [zip, setZip] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const [report, setReport] = useState<ReportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);

  useEffect(() => {
    fetchJson("/api/cohorts/import-root", importRootResponse)
      .then((j) => {
        setConfigured(j.configured);
        setFolders(j.folders);
      })
      .catch(() => setFolders([]));
  }, []);

  /** A folder of the import root is validated / imported by a server task: poll it and show its progress. */
  async function runInBackground(confirm: boolean): Promise<ImportAnswer> {
    const j = await fetchJson(
      "/api/cohorts/import",
      z.looseObject({ jobId: z.string() }),
      jsonBody("POST", { folder, name, confirm, acceptValid: confirm, background: true }),
      "import",
    );
    for (;;) {
      await new Promise((res) => setTimeout(res, 1000));
      const v = await fetchJson(`/api/cohorts/import/jobs/${j.jobId}`, cohortImportJobResponse, undefined, "progress");
      setJob(v.job);
      if (v.job.status === "succeeded") return { report: v.job.report!, imported: v.job.imported };
      if (v.job.status === "failed") {
        const e = new Error(v.job.error?.message ?? "import failed") as Error & { report?: ReportView };
        e.report = v.job.report ?? undefined;
        throw e;
      }
    }
  }

  async function run(confirm: boolean) {
    setJob(null);
    setError(null);
    setBusy(confirm ? "Importing…" : "Validating…");
    try {
      let ans: ImportAnswer;
      if (zip) {
        const fd = new FormData();
        fd.set("file", zip);
        fd.set("name", name);
        fd.set("confirm", confirm ? "1" : "0");
        fd.set("acceptValid", confirm ? "1" : "0");
        ans = await call("/api/cohorts/upload", { method: "POST", body: fd });
      } else {
        ans = await runInBackground(confirm);
      }
      setReport(ans.report);
      if (ans.imported) router.push(`/cohorts/${ans.imported.cohortId}`);
    } catch (e) {
      setError((e as Error).message);
      const r = (e as { report?: ReportView }).report;
      if (r) setReport(r);
    } finally {
      setBusy(null);
    }
  }

  const source = zip ? zip.name : folder;
  const canImport = report && report.counts.valid + report.counts.incomplete > 0 && report.dir === source;
  return (
    <section className="flex max-w-5xl flex-col gap-3 rounded border border-room-700 p-3" data-testid="cohort-import">
      <h2 className="font-semibold">Import a cohort</h2>
      <p className="text-sm text-ink-300">
        One folder per patient (named by its PatientID) with CE-T1/, T2/, CT/ series and roi/&lt;ROLE&gt;.seg.dcm |
        .rtstruct.dcm | .nii.gz | .nrrd, and one clinical.csv (clinical variables, pCR, response). The report comes
        first; nothing is imported until you confirm.
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col text-sm">
          Folder in the import root
          <select
            className="rounded bg-room-700 px-2 py-1"
            value={folder}
            disabled={!configured || !!zip}
            onChange={(e) => {
              setFolder(e.target.value);
              setReport(null);
            }}
            data-testid="import-folder"
          >
            <option value="">{configured ? "choose…" : "no import root configured"}</option>
            {(folders ?? []).map((f) => (
              <option key={f.name} value={f.name}>
                {f.name} ({f.patients} patients{f.hasClinicalCsv ? "" : ", no clinical.csv"})
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-sm">
          or a zip (small cohorts, up to 512 MB)
          <input
            type="file"
            accept=".zip,application/zip"
            data-testid="import-zip"
            onChange={(e) => {
              setZip(e.target.files?.[0] ?? null);
              setReport(null);
            }}
          />
        </label>
        <label className="flex flex-col text-sm">
          Cohort name
          <input
            className="rounded bg-room-700 px-2 py-1"
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="cohort-name"
            placeholder="e.g. site-A 2024"
          />
        </label>
        <button
          className="rounded bg-room-700 px-3 py-1 disabled:opacity-50"
          disabled={!!busy || !source || !name}
          onClick={() => run(false)}
          data-testid="validate"
        >
          Validate
        </button>
        <button
          className="rounded bg-accent-400 px-3 py-1 font-semibold text-room-950 disabled:opacity-50"
          disabled={!!busy || !canImport || !name}
          onClick={() => run(true)}
          data-testid="confirm-import"
        >
          Import the valid part
        </button>
      </div>
      {busy && <p className="text-ink-300">{busy}</p>}
      {job && job.status === "running" && (
        <div className="flex flex-col gap-1" data-testid="import-progress">
          <div
            className="h-3 w-full overflow-hidden rounded bg-room-700"
            role="progressbar"
            aria-label="import progress"
            aria-valuemin={0}
            aria-valuemax={1000}
            aria-valuenow={Math.round(job.progress * 1000)}
          >
            <div
              className="h-3 bg-accent-400 transition-all"
              style={{ width: `${Math.round(job.progress * 1000) / 10}%` }}
            />
          </div>
          <p className="text-sm text-ink-300" data-testid="import-progress-text">
            {job.phase === "importing" ? "Importing" : "Validating"}: {job.done} / {job.total || "…"} patients
          </p>
        </div>
      )}
      {error && (
        <p className="text-danger-400" role="alert">
          {error}
        </p>
      )}
      {report && <ValidationReport report={report} />}
    </section>
  );
}
