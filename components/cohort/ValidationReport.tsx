"use client";

import type { z } from "zod";
import type { cohortReportSchema } from "@/lib/api/schemas";

export type ReportView = z.infer<typeof cohortReportSchema>;
export type Problem = ReportView["problems"][number];

const SEVERITY_CLASS: Record<Problem["severity"], string> = {
  error: "text-danger-400",
  incomplete: "text-warn-400",
  warning: "text-ink-500",
};

/** The validation report of a cohort folder: counts, then every problem with patient, file and reason. */
export function ValidationReport({ report }: { report: ReportView }) {
  const c = report.counts;
  return (
    <section className="flex flex-col gap-2" data-testid="validation-report">
      <p>
        <b>{report.dir}</b>: {c.patients} patients — <span className="text-ok-400">{c.valid} valid</span>,{" "}
        <span className="text-warn-400">{c.incomplete} incomplete</span> (imported with gaps),{" "}
        <span className="text-danger-400">{c.invalid} with errors</span> (not imported). Peritumoral shell{" "}
        {report.settings.periMarginMm} mm ({report.settings.periShellMode}).
      </p>
      {report.problems.length > 0 && (
        <table className="text-sm" data-testid="problems">
          <thead className="text-left text-ink-500">
            <tr>
              <th className="pr-3">Severity</th>
              <th className="pr-3">Patient</th>
              <th className="pr-3">File</th>
              <th className="pr-3">Problem</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {report.problems.map((p, i) => (
              <tr key={i} className="border-t border-room-700 align-top">
                <td className={`pr-3 ${SEVERITY_CLASS[p.severity]}`}>{p.severity}</td>
                <td className="pr-3">{p.patient ?? "—"}</td>
                <td className="pr-3 font-mono text-xs">{p.file ?? "—"}</td>
                <td className="pr-3">{p.kind.replace(/_/g, " ")}</td>
                <td>{p.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
