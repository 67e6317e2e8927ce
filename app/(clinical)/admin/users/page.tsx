import { requirePageSession } from "@/app/_server/session";
import { UserAdminRow } from "@/components/admin/UserAdminRow";
import { listUsers } from "@/lib/auth/user-admin";
import { getPrisma } from "@/lib/db/prisma";

/** Accounts for administrators: disable/enable and reset passwords (sessions end at once), grant identified access to a researcher. */
export default async function UsersPage() {
  const me = await requirePageSession("users.manage");
  const users = await listUsers(await getPrisma());
  return (
    <section className="flex flex-col gap-3" data-testid="users-page">
      <h1 className="text-xl font-semibold">Users</h1>
      <p className="text-sm text-ink-300">
        New local accounts: <code>npm run nac -- users create</code>. Reset password gives a local account a random
        password, shown once for you to hand over; its open sessions end at once. Single sign-on accounts are created at
        their first sign-in with the role their identity provider gives, which also manages their passwords.
      </p>
      <table className="w-full text-left text-sm">
        <thead className="text-ink-500">
          <tr>
            <th className="py-1">Username</th>
            <th>Name</th>
            <th>Role</th>
            <th>Sign-in</th>
            <th>State</th>
            <th>Identified patient data</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <UserAdminRow
              key={u.id}
              user={{
                id: u.id,
                username: u.username,
                displayName: u.displayName,
                role: u.role,
                provider: u.provider,
                isDemo: u.isDemo,
                disabled: !!u.disabledAt,
                identified: u.role !== "researcher" || u.grants.includes("phi.identified.read"),
                grantable: u.role === "researcher",
              }}
              self={u.id === me.id}
            />
          ))}
        </tbody>
      </table>
    </section>
  );
}
