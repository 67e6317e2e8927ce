import type { ReactNode } from "react";
import { requirePageSession } from "@/app/_server/session";
import { AppHeader } from "@/components/AppHeader";
import { can } from "@/lib/auth/permissions";

export const dynamic = "force-dynamic";

/** Research pages (experiments, model registry): researchers and admins only. */
export default async function ResearchLayout({ children }: { children: ReactNode }) {
  const user = await requirePageSession();
  return (
    <>
      <AppHeader user={user} />
      <main className="p-4">
        {can(user, "research") ? (
          children
        ) : (
          <p role="alert" className="text-danger-400">
            The research pages are for researchers and administrators; the {user.role} role may not open them.
          </p>
        )}
      </main>
    </>
  );
}
