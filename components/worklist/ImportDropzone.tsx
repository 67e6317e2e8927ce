"use client";

import { useRouter } from "next/navigation";
import { useState, type DragEvent } from "react";

interface FileResult {
  name: string;
  status: "imported" | "duplicate" | "ignored" | "error";
  code?: string;
  message?: string;
}

interface ImportResponse {
  counts: Record<string, number>;
  files: FileResult[];
  series: { seriesInstanceUid: string; role: string; instanceCount: number; description?: string }[];
}

/** Drag and drop DICOM files, folders or zips; upload progress; per-file results (errors listed with their reason). */
export function ImportDropzone() {
  const router = useRouter();
  const [over, setOver] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [phase, setPhase] = useState<string | null>(null);
  const [deidentify, setDeidentify] = useState(false);
  const [result, setResult] = useState<ImportResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function filesFromDrop(e: DragEvent): Promise<File[]> {
    const items = [...e.dataTransfer.items];
    const entries = items.map((i) => i.webkitGetAsEntry?.()).filter((x): x is FileSystemEntry => !!x);
    if (entries.length === 0) return [...e.dataTransfer.files];
    const out: File[] = [];
    const walk = async (entry: FileSystemEntry): Promise<void> => {
      if (entry.isFile) out.push(await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej)));
      else if (entry.isDirectory) {
        const reader = (entry as FileSystemDirectoryEntry).createReader();
        let batch: FileSystemEntry[];
        do {
          batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
          for (const child of batch) await walk(child);
        } while (batch.length > 0);
      }
    };
    for (const entry of entries) await walk(entry);
    return out;
  }

  function upload(files: File[]) {
    if (files.length === 0) return;
    setResult(null);
    setError(null);
    setProgress(0);
    setPhase(`uploading ${files.length} file(s)`);
    const form = new FormData();
    for (const f of files) form.append("files", f, f.webkitRelativePath || f.name);
    if (deidentify) form.set("deidentify", "1");
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/import");
    xhr.upload.onprogress = (e) => e.lengthComputable && setProgress(e.loaded / e.total);
    xhr.upload.onload = () => setPhase("checking and storing images…");
    xhr.onload = () => {
      setProgress(null);
      setPhase(null);
      const body = JSON.parse(xhr.responseText || "{}");
      if (xhr.status >= 400) setError(body.error?.message ?? `import failed (${xhr.status})`);
      else {
        setResult(body as ImportResponse);
        router.refresh();
      }
    };
    xhr.onerror = () => {
      setProgress(null);
      setPhase(null);
      setError("network error during upload");
    };
    xhr.send(form);
  }

  return (
    <section
      aria-label="Import DICOM"
      data-testid="import-dropzone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={async (e) => {
        e.preventDefault();
        setOver(false);
        upload(await filesFromDrop(e));
      }}
      className={`flex flex-col gap-2 rounded border border-dashed p-3 text-sm ${over ? "border-accent-400 bg-room-800" : "border-room-600"}`}
    >
      <div className="flex flex-wrap items-center gap-3">
        <span className="text-ink-300">Drop DICOM files, folders or a zip here, or</span>
        <label className="cursor-pointer rounded border border-room-600 px-2 py-1">
          choose files…
          <input
            type="file"
            multiple
            data-testid="import-files"
            className="hidden"
            onChange={(e) => upload([...(e.target.files ?? [])])}
          />
        </label>
        <label className="flex items-center gap-1 text-ink-300">
          <input type="checkbox" checked={deidentify} onChange={(e) => setDeidentify(e.target.checked)} />
          de-identify (pseudonymise patient name and ID, drop birth date, addresses, staff names)
        </label>
      </div>
      {progress !== null && (
        <div className="flex items-center gap-2 text-ink-300" role="status">
          <progress max={1} value={progress} className="h-2 w-48" /> {phase} {Math.round(100 * progress)}%
        </div>
      )}
      {error && (
        <p role="alert" className="text-danger-400">
          {error}
        </p>
      )}
      {result && (
        <div data-testid="import-result" className="flex flex-col gap-1">
          <p>
            Imported {result.counts.imported ?? 0}, duplicates {result.counts.duplicate ?? 0}, ignored{" "}
            {result.counts.ignored ?? 0}, errors {result.counts.error ?? 0}.
          </p>
          {result.series.map((s) => (
            <p key={s.seriesInstanceUid} className="text-ink-300">
              Series {s.description ?? s.seriesInstanceUid}: {s.instanceCount} images, role {s.role}
            </p>
          ))}
          {result.files.some((f) => f.status === "error") && (
            <table className="text-xs" data-testid="import-errors">
              <tbody>
                {result.files
                  .filter((f) => f.status === "error")
                  .map((f) => (
                    <tr key={f.name}>
                      <td className="pr-3 text-ink-300">{f.name}</td>
                      <td className="text-danger-400">
                        {f.code}: {f.message}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
