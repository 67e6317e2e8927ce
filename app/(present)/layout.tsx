import type { ReactNode } from "react";
import { requirePageSession } from "@/app/_server/session";

export const dynamic = "force-dynamic";

/** Full-screen pages for a projector (tumour-board presentation): a live session, no application header. */
export default async function PresentLayout({ children }: { children: ReactNode }) {
  await requirePageSession();
  return <main className="min-h-[calc(100vh-28px)] bg-black text-white">{children}</main>;
}
