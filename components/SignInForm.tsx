"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

export function SignInForm({ sso = null }: { sso?: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const form = new FormData(e.currentTarget);
    const res = await signIn("credentials", {
      username: String(form.get("username") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    setBusy(false);
    if (!res || res.error) {
      setError("Wrong username or password.");
      return;
    }
    router.push("/worklist");
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="flex w-80 flex-col gap-3" aria-label="Sign in">
      <label className="flex flex-col gap-1 text-sm text-ink-300">
        Username
        <input
          name="username"
          autoComplete="username"
          required
          className="rounded border border-room-600 bg-room-900 px-3 py-2 text-ink-100"
        />
      </label>
      <label className="flex flex-col gap-1 text-sm text-ink-300">
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="rounded border border-room-600 bg-room-900 px-3 py-2 text-ink-100"
        />
      </label>
      {error && (
        <p role="alert" data-testid="signin-error" className="text-sm text-danger-400">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={busy}
        className="rounded bg-accent-400 px-3 py-2 font-semibold text-room-950 disabled:opacity-50"
      >
        {busy ? "Signing in…" : "Sign in"}
      </button>
      {sso && (
        <button
          type="button"
          onClick={() => signIn("oidc", { callbackUrl: "/worklist" })}
          className="rounded border border-room-600 px-3 py-2 text-ink-100"
        >
          Single sign-on: {sso}
        </button>
      )}
    </form>
  );
}
