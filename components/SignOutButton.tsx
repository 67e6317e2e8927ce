"use client";

import { signOut } from "next-auth/react";

export function SignOutButton() {
  return (
    <button
      onClick={() => signOut({ callbackUrl: "/signin" })}
      className="rounded border border-room-600 px-2 py-1 hover:bg-room-700"
    >
      Sign out
    </button>
  );
}
