import Link from "next/link";
import { can, type Permission } from "@/lib/auth/permissions";
import { SignOutButton } from "./SignOutButton";

/** The header's links in order; a link with a permission shows only to users who have it. */
const NAV: { href: string; label: string; permission?: Permission }[] = [
  { href: "/worklist", label: "Worklist" },
  { href: "/board", label: "Tumour board" },
  { href: "/model-card", label: "Model card" },
  { href: "/admin/audit", label: "Audit log", permission: "audit.read" },
  { href: "/admin/users", label: "Users", permission: "users.manage" },
  { href: "/cohorts", label: "Cohorts", permission: "research" },
  { href: "/admin/pacs", label: "PACS", permission: "pacs.configure" },
  { href: "/experiments", label: "Experiments", permission: "research" },
  { href: "/models", label: "Models", permission: "research" },
];

export function AppHeader({ user }: { user: { name: string; role: string; permissions: readonly Permission[] } }) {
  return (
    <header className="flex items-center justify-between border-b border-room-700 bg-room-900 px-4 py-2">
      <nav className="flex items-center gap-4">
        <Link href="/worklist" className="font-semibold text-ink-100">
          NACpredict
        </Link>
        {NAV.filter((l) => !l.permission || can(user, l.permission)).map((l) => (
          <Link key={l.href} href={l.href} className="text-sm text-ink-300 hover:text-ink-100">
            {l.label}
          </Link>
        ))}
      </nav>
      <div className="flex items-center gap-3 text-sm text-ink-300">
        <span data-testid="current-user">
          {user.name} · {user.role}
        </span>
        <SignOutButton />
      </div>
    </header>
  );
}
