"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Presentation keys: → / PageDown / Space next, ← / PageUp previous, Home / End first / last, Esc back to the list. */
const KEYS: Record<string, "next" | "previous" | "first" | "last" | "exit"> = {
  ArrowRight: "next",
  PageDown: "next",
  " ": "next",
  ArrowLeft: "previous",
  PageUp: "previous",
  Home: "first",
  End: "last",
  Escape: "exit",
};

export function BoardKeys({ sessionId, position, count }: { sessionId: string; position: number; count: number }) {
  const router = useRouter();
  useEffect(() => {
    const go = (n: number) => router.push(`/board/${sessionId}/present?case=${n + 1}`);
    const onKey = (e: KeyboardEvent) => {
      const action = KEYS[e.key];
      if (!action || e.altKey || e.ctrlKey || e.metaKey) return;
      e.preventDefault();
      if (action === "next" && position + 1 < count) go(position + 1);
      else if (action === "previous" && position > 0) go(position - 1);
      else if (action === "first" && position !== 0) go(0);
      else if (action === "last" && position !== count - 1) go(count - 1);
      else if (action === "exit") router.push("/board");
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [router, sessionId, position, count]);
  return null;
}
