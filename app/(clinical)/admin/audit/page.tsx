import Link from "next/link";
import { auditPage, requirePageSession } from "@/app/_server/session";
import { AUDIT_ACTIONS } from "@/lib/audit/audit-log";
import { AuditPageSchema, queryAudit } from "@/lib/audit/audit-query";
import { getPrisma } from "@/lib/db/prisma";

const FILTERS = ["user", "patient", "action", "from", "to"] as const;

/** The audit log for administrators: filters (user, patient, action, date range), pages, CSV export of the same filter. */
export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageSession("audit.read");
  const sp = await searchParams;
  const raw = Object.fromEntries(Object.entries(sp).filter(([, v]) => typeof v === "string" && v !== "")) as Record<
    string,
    string
  >;
  const parsed = AuditPageSchema.safeParse(raw);
  const filter = parsed.success ? parsed.data : AuditPageSchema.parse({});
  const result = await queryAudit(await getPrisma(), filter);
  await auditPage(user, { action: "audit.read", details: { filter: raw, total: result.total } });
  const qs = (extra: Record<string, string | number>) => {
    const p = new URLSearchParams();
    for (const k of FILTERS) if (filter[k]) p.set(k, String(filter[k]));
    for (const [k, v] of Object.entries(extra)) p.set(k, String(v));
    return p.toString();
  };
  return (
    <section className="flex flex-col gap-3" data-testid="audit-page">
      <h1 className="text-xl font-semibold">Audit log</h1>
      <form className="flex flex-wrap items-end gap-2 text-sm" role="search" aria-label="Filter the audit log">
        <label className="flex flex-col">
          User
          <input
            name="user"
            defaultValue={filter.user}
            placeholder="username"
            className="rounded border border-room-600 bg-room-900 px-2 py-1"
          />
        </label>
        <label className="flex flex-col">
          Patient
          <input
            name="patient"
            defaultValue={filter.patient}
            placeholder="patient ID or key"
            className="w-80 rounded border border-room-600 bg-room-900 px-2 py-1"
          />
        </label>
        <label className="flex flex-col">
          Action
          <select
            name="action"
            defaultValue={filter.action ?? ""}
            className="rounded border border-room-600 bg-room-900 px-2 py-1"
          >
            <option value="">any</option>
            {[...new Set(AUDIT_ACTIONS.map((a) => a.split(".")[0] + "."))].map((f) => (
              <option key={f} value={f}>
                {f}*
              </option>
            ))}
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          From
          <input
            type="date"
            name="from"
            defaultValue={filter.from}
            className="rounded border border-room-600 bg-room-900 px-2 py-1"
          />
        </label>
        <label className="flex flex-col">
          To
          <input
            type="date"
            name="to"
            defaultValue={filter.to}
            className="rounded border border-room-600 bg-room-900 px-2 py-1"
          />
        </label>
        <button className="rounded border border-room-600 px-2 py-1">Filter</button>
        <a
          href={`/api/audit/export?${qs({})}`}
          className="rounded border border-room-600 px-2 py-1"
          data-testid="audit-csv"
        >
          Export CSV
        </a>
      </form>
      {!parsed.success && (
        <p role="alert" className="text-danger-400">
          Filter not understood: {parsed.error.issues[0].path.join(".")}: {parsed.error.issues[0].message}
        </p>
      )}
      <p className="text-sm text-ink-300" data-testid="audit-total">
        {result.total} event(s); page {result.page} of {result.pages}
      </p>
      <table className="w-full text-left text-xs" data-testid="audit-table">
        <thead className="text-ink-500">
          <tr>
            <th className="py-1">Time (UTC)</th>
            <th>User</th>
            <th>Action</th>
            <th>Outcome</th>
            <th>Patient</th>
            <th>Target</th>
            <th>Source address</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {result.events.map((e) => (
            <tr
              key={e.id}
              className="border-t border-room-700 align-top"
              data-testid="audit-row"
              data-action={e.action}
            >
              <td className="py-1 whitespace-nowrap">{e.at.toISOString().replace("T", " ").slice(0, 23)}</td>
              <td>{e.username ?? "—"}</td>
              <td>{e.action}</td>
              <td>{e.outcome}</td>
              <td className="font-mono">{e.patientId ?? "—"}</td>
              <td>{e.targetType ? `${e.targetType} ${e.targetId ?? ""}` : "—"}</td>
              <td>{e.sourceAddress ?? "—"}</td>
              <td className="max-w-md break-all font-mono text-ink-300">{JSON.stringify(e.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav className="flex gap-3 text-sm" aria-label="Pages">
        {result.page > 1 && (
          <Link href={`/admin/audit?${qs({ page: result.page - 1, pageSize: result.pageSize })}`}>← newer</Link>
        )}
        {result.page < result.pages && (
          <Link href={`/admin/audit?${qs({ page: result.page + 1, pageSize: result.pageSize })}`}>older →</Link>
        )}
      </nav>
    </section>
  );
}
