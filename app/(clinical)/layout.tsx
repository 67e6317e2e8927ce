import type { ReactNode } from "react";
import { requirePageSession } from "@/app/_server/session";
import { AppHeader } from "@/components/AppHeader";
import { enabledDemoAccounts } from "@/lib/auth/demo-accounts";
import { can } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

/** Every page in this group needs a live session of an enabled account; without one the user is sent to /signin. */
export default async function ClinicalLayout({ children }: { children: ReactNode }) {
  const user = await requirePageSession();
  const demo = can(user, "users.manage") ? await enabledDemoAccounts(await getPrisma()) : [];
  return (
    <>
      <AppHeader user={user} />
      {demo.length > 0 && (
        <p
          role="alert"
          data-testid="demo-accounts-warning"
          className="bg-danger-400 px-4 py-1 text-sm font-semibold text-room-950"
        >
          Demo accounts with published passwords are enabled ({demo.join(", ")}): disable them on the Users page or with
          `npm run nac -- users disable NAME` before real patient data is used.
        </p>
      )}
      <main className="p-4">{children}</main>
    </>
  );
}
