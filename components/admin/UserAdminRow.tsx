"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson, jsonBody } from "@/lib/api/fetch-json";
import { objectResponse, passwordResetResponse } from "@/lib/api/schemas";

export interface UserAdminView {
  id: string;
  username: string;
  displayName: string;
  role: string;
  provider: string;
  isDemo: boolean;
  disabled: boolean;
  identified: boolean;
  grantable: boolean;
}

export function UserAdminRow({ user, self }: { user: UserAdminView; self: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [newPassword, setNewPassword] = useState<string | null>(null);

  async function patch(body: Record<string, unknown>) {
    setBusy(true);
    setError(null);
    try {
      await fetchJson(`/api/users/${user.id}`, objectResponse, jsonBody("PATCH", body), "saving");
    } catch (e) {
      setError((e as Error).message);
      return;
    } finally {
      setBusy(false);
    }
    router.refresh();
  }

  /** A random new password, shown once here for the administrator to hand over; the user's sessions end at once. */
  async function resetPassword() {
    if (!window.confirm(`Reset the password of ${user.username}? Their open sessions end at once.`)) return;
    setBusy(true);
    setError(null);
    setNewPassword(null);
    try {
      const body = await fetchJson(
        `/api/users/${user.id}/password`,
        passwordResetResponse,
        jsonBody("POST", {}),
        "password reset",
      );
      setNewPassword(body.password);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <tr className="border-t border-room-700" data-testid={`user-row-${user.username}`}>
      <td className="py-1">
        {user.username}
        {user.isDemo && <span className="ml-2 rounded bg-danger-400 px-1 text-xs text-room-950">demo</span>}
      </td>
      <td>{user.displayName}</td>
      <td>{user.role}</td>
      <td>{user.provider}</td>
      <td>{user.disabled ? "disabled" : "enabled"}</td>
      <td>
        {user.identified ? "yes" : "pseudonyms only"}
        {user.grantable && (
          <button
            disabled={busy}
            onClick={() =>
              patch(user.identified ? { revoke: "phi.identified.read" } : { grant: "phi.identified.read" })
            }
            className="ml-2 rounded border border-room-600 px-2 text-xs"
          >
            {user.identified ? "Revoke" : "Grant"}
          </button>
        )}
      </td>
      <td>
        {!self && (
          <button
            disabled={busy}
            onClick={() => patch({ disabled: !user.disabled })}
            className="rounded border border-room-600 px-2 text-xs"
          >
            {user.disabled ? "Enable" : "Disable"}
          </button>
        )}
        {!self && user.provider === "local" && (
          <button disabled={busy} onClick={resetPassword} className="ml-2 rounded border border-room-600 px-2 text-xs">
            Reset password
          </button>
        )}
        {newPassword && (
          <span className="ml-2 text-xs" data-testid="new-password">
            New password (shown once): <code className="select-all rounded bg-room-800 px-1">{newPassword}</code>
          </span>
        )}
        {error && (
          <span role="alert" className="ml-2 text-danger-400">
            {error}
          </span>
        )}
      </td>
    </tr>
  );
}
