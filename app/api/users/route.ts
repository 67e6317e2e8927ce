import { apiRoute } from "@/app/_server/api-route";
import { listUsers } from "@/lib/auth/user-admin";
import { getPrisma } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

/** Accounts (never their password hashes) with their grants; administrators only. */
export const GET = apiRoute({ permission: "users.manage" }, async () => {
  return { users: await listUsers(await getPrisma()) };
});
