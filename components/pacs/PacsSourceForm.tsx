"use client";

import { useState } from "react";
import { fetchJson, jsonBody } from "@/lib/api/fetch-json";
import { pacsSourceSavedResponse } from "@/lib/api/schemas";
import type { PublicPacsSource } from "@/lib/pacs/source-config";

type Source = PublicPacsSource;

/** Admin form for a DICOMweb data source. The secret field is write-only: left empty, the stored secret is kept. */
export function PacsSourceForm({ initial }: { initial: Source | null }) {
  const [authKind, setAuthKind] = useState(initial?.authKind ?? "basic");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function save(form: FormData) {
    const secret = String(form.get("secret") ?? "");
    const body = {
      name: String(form.get("name") ?? ""),
      baseUrl: String(form.get("baseUrl") ?? ""),
      authKind,
      ...(authKind === "basic" ? { username: String(form.get("username") ?? "") } : {}),
      ...(secret ? { secret } : {}),
      timeoutMs: Math.round(Number(form.get("timeoutS")) * 1000),
      isDefault: true,
    };
    try {
      const out = await fetchJson("/api/pacs/sources", pacsSourceSavedResponse, jsonBody("POST", body), "save");
      setMessage({ ok: true, text: `saved ${out.source.name}` });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  }
  const field = "rounded border border-room-600 bg-room-900 px-2 py-1 text-sm text-ink-100";
  return (
    <form
      className="grid max-w-xl grid-cols-[10rem_1fr] items-center gap-2 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        void save(new FormData(e.currentTarget));
      }}
    >
      <label htmlFor="pacs-name">Name</label>
      <input id="pacs-name" name="name" required defaultValue={initial?.name ?? "Hospital PACS"} className={field} />
      <label htmlFor="pacs-url">DICOMweb root URL</label>
      <input
        id="pacs-url"
        name="baseUrl"
        required
        type="url"
        defaultValue={initial?.baseUrl ?? ""}
        placeholder="https://pacs.example.org/dicom-web"
        className={field}
      />
      <label htmlFor="pacs-auth">Authentication</label>
      <select
        id="pacs-auth"
        value={authKind}
        onChange={(e) => setAuthKind(e.target.value as Source["authKind"])}
        className={field}
      >
        <option value="basic">Basic (user name + password)</option>
        <option value="bearer">Bearer token</option>
        <option value="none">None</option>
      </select>
      {authKind === "basic" && (
        <>
          <label htmlFor="pacs-user">User name</label>
          <input id="pacs-user" name="username" defaultValue={initial?.username ?? ""} className={field} />
        </>
      )}
      {authKind !== "none" && (
        <>
          <label htmlFor="pacs-secret">{authKind === "basic" ? "Password" : "Token"}</label>
          <input
            id="pacs-secret"
            name="secret"
            type="password"
            autoComplete="new-password"
            placeholder={initial?.hasSecret ? "stored (leave empty to keep)" : ""}
            className={field}
          />
        </>
      )}
      <label htmlFor="pacs-timeout">Timeout (s)</label>
      <input
        id="pacs-timeout"
        name="timeoutS"
        type="number"
        min={1}
        max={300}
        defaultValue={(initial?.timeoutMs ?? 15000) / 1000}
        className={field}
      />
      <span />
      <span className="flex items-center gap-2">
        <button className="rounded bg-accent-400 px-3 py-1 font-semibold text-room-950">Save</button>
        {message && (
          <span role={message.ok ? "status" : "alert"} className={message.ok ? "text-ok-400" : "text-danger-400"}>
            {message.text}
          </span>
        )}
      </span>
    </form>
  );
}
