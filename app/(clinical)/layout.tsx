import type { ReactNode } from "react";
import { requirePageSession } from "@/app/_server/session";
import { AppHeader } from "@/components/AppHeader";

export const dynamic = "force-dynamic";

/** Every page in this group needs a session; without one the user is sent to /signin. */
export default async function ClinicalLayout({ children }: { children: ReactNode }) {
  const user = await requirePageSession();
  return (
    <>
      <AppHeader user={user} />
      <main className="p-4">{children}</main>
    </>
  );
}
