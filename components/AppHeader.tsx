import Link from "next/link";
import { SignOutButton } from "./SignOutButton";

export function AppHeader({
  user,
  links,
}: {
  user: { name: string; role: string };
  links: { audit: boolean; users: boolean; research: boolean; pacsConfigure: boolean };
}) {
  const research = links.research;
  return (
    <header className="flex items-center justify-between border-b border-room-700 bg-room-900 px-4 py-2">
      <nav className="flex items-center gap-4">
        <Link href="/worklist" className="font-semibold text-ink-100">
          NACpredict
        </Link>
        <Link href="/worklist" className="text-sm text-ink-300 hover:text-ink-100">
          Worklist
        </Link>
        <Link href="/board" className="text-sm text-ink-300 hover:text-ink-100">
          Tumour board
        </Link>
        <Link href="/model-card" className="text-sm text-ink-300 hover:text-ink-100">
          Model card
        </Link>
        {links.audit && (
          <Link href="/admin/audit" className="text-sm text-ink-300 hover:text-ink-100">
            Audit log
          </Link>
        )}
        {links.users && (
          <Link href="/admin/users" className="text-sm text-ink-300 hover:text-ink-100">
            Users
          </Link>
        )}
        {research && (
          <Link href="/cohorts" className="text-sm text-ink-300 hover:text-ink-100">
            Cohorts
          </Link>
        )}
        {links.pacsConfigure && (
          <Link href="/admin/pacs" className="text-sm text-ink-300 hover:text-ink-100">
            PACS
          </Link>
        )}
        {research && (
          <Link href="/experiments" className="text-sm text-ink-300 hover:text-ink-100">
            Experiments
          </Link>
        )}
        {research && (
          <Link href="/models" className="text-sm text-ink-300 hover:text-ink-100">
            Models
          </Link>
        )}
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
