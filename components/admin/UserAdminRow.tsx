"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

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

  async function patch(body: Record<string, unknown>) {
    setBusy(true);
    setError(null);
    const res = await fetch(`/api/users/${user.id}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    setBusy(false);
    if (!res.ok) {
      setError(((await res.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? `failed (${res.status})`);
      return;
    }
    router.refresh();
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
          <button disabled={busy} onClick={() => patch(user.identified ? { revoke: "phi.identified.read" } : { grant: "phi.identified.read" })} className="ml-2 rounded border border-room-600 px-2 text-xs">
            {user.identified ? "Revoke" : "Grant"}
          </button>
        )}
      </td>
      <td>
        {!self && (
          <button disabled={busy} onClick={() => patch({ disabled: !user.disabled })} className="rounded border border-room-600 px-2 text-xs">
            {user.disabled ? "Enable" : "Disable"}
          </button>
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
