import { requirePageSession } from "@/app/_server/session";
import { getPrisma } from "@/lib/db/prisma";
import { getFileStore } from "@/lib/storage/server-store";
import { activeModelTrackRecord } from "@/lib/pipeline/track-record";
import { TrackRecord } from "@/components/models/TrackRecord";
import { CalibrationSection, type EndpointCalibrationView } from "@/components/models/CalibrationSection";
import { DEMO_LABEL } from "@/lib/ml/bundle/model-label";

interface BundleFile {
  modelCard?: {
    title?: string;
    intendedUse?: string;
    trainingData?: string;
    limitations?: string[];
    demo?: boolean;
    notes?: string;
  };
  endpoints?: Record<
    string,
    {
      label?: string;
      nRows?: number;
      nPositive?: number;
      featureNames?: string[];
      metrics?: {
        summary?: Record<string, { mean: number; sd: number } | null>;
        calibration?: EndpointCalibrationView["summary"];
      };
      final?: { calibration?: { method: "platt" | "isotonic" } };
    }
  >;
  acquisition?: {
    source: string;
    byRole: Record<
      string,
      { series: number; manufacturers: { value: string }[]; fieldStrengthsT: { value: string }[] }
    >;
  };
  trainingCases?: { rows: unknown[] };
}

const METRICS = ["balancedAccuracy", "auc", "sensitivity", "specificity", "accuracy", "f1", "brier"];

/** Model card of the active bundle: intended use, training data, validation metrics, limitations. */
export default async function ModelCardPage() {
  const user = await requirePageSession();
  const prisma = await getPrisma();
  const row = await prisma.modelBundle.findFirst({ where: { isActive: true }, orderBy: { createdAt: "desc" } });
  if (!row)
    return (
      <p className="text-ink-300">
        No active model bundle. A researcher registers one from an experiment (Experiments) and an administrator
        activates it (Models).
      </p>
    );
  const bundle = JSON.parse(new TextDecoder().decode(await getFileStore().get(row.storageKey))) as BundleFile;
  const registration = await prisma.modelRegistration.findUnique({ where: { modelBundleId: row.id } });
  const record = await activeModelTrackRecord(
    { prisma, store: getFileStore() },
    { id: user.id, username: user.username },
  ).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));
  const card = bundle.modelCard ?? {};
  return (
    <article className="flex max-w-4xl flex-col gap-3" data-testid="model-card">
      <h1 className="text-xl font-semibold">
        Model card — {row.name} <span className="text-ink-500">version {row.version}</span>
      </h1>
      {(row.isDemo || card.demo) && (
        <p className="rounded bg-warn-400 px-2 py-1 font-semibold text-room-950">
          {DEMO_LABEL.charAt(0).toUpperCase() + DEMO_LABEL.slice(1)}
        </p>
      )}
      <p>
        <b>Intended use.</b> {card.intendedUse}
      </p>
      <p>
        <b>Training data.</b> {card.trainingData}
      </p>
      <h2 className="font-semibold">Validation (mean ± SD over independent train/test partitions)</h2>
      <table className="text-sm">
        <thead className="text-ink-500">
          <tr>
            <th className="pr-4 text-left">Endpoint</th>
            {METRICS.map((m) => (
              <th key={m} className="pr-4 text-left">
                {m}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Object.entries(bundle.endpoints ?? {}).map(([ep, e]) => (
            <tr key={ep} className="border-t border-room-700">
              <td className="pr-4">
                {ep} (n = {e.nRows}, positive {e.nPositive})
              </td>
              {METRICS.map((m) => {
                const v = e.metrics?.summary?.[m];
                return (
                  <td key={m} className="pr-4">
                    {v ? `${v.mean.toFixed(3)} ± ${v.sd.toFixed(3)}` : "—"}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <CalibrationSection
        endpoints={Object.entries(bundle.endpoints ?? {}).map(([ep, e]) => ({
          label: ep,
          method: e.final?.calibration?.method ?? null,
          summary: e.metrics?.calibration,
        }))}
      />
      <p className="text-sm" data-testid="model-similar-cases">
        <b>Similar cases.</b>{" "}
        {bundle.trainingCases
          ? `Enabled at registration: the bundle carries ${bundle.trainingCases.rows.length} de-identified training cases (selected features and outcomes; no names or identifiers).`
          : "Not enabled: the bundle carries no training cases."}
      </p>
      <p className="text-sm" data-testid="model-acquisition">
        <b>Training acquisition.</b>{" "}
        {bundle.acquisition
          ? `${bundle.acquisition.source}. ${Object.entries(bundle.acquisition.byRole)
              .map(
                ([role, d]) =>
                  `${role}: ${d.series} series${d.fieldStrengthsT.length ? `, ${d.fieldStrengthsT.map((f) => `${f.value} T`).join("/")}` : ""}${d.manufacturers.length ? `, ${d.manufacturers.map((m) => m.value).join(", ")}` : ""}`,
              )
              .join("; ")}. Predict warns when a series falls outside it.`
          : "Not recorded in this bundle: Predict cannot check a patient's acquisition parameters against the training data."}
      </p>
      {registration?.experimentId && (
        <p className="text-sm" data-testid="model-provenance">
          Registered from experiment <span className="font-mono">{registration.experimentId}</span>, feature set{" "}
          <span className="font-mono">{registration.featureSet}</span>, on{" "}
          {registration.createdAt.toISOString().slice(0, 10)}.
        </p>
      )}
      {"error" in record ? (
        <p role="alert" className="text-sm text-danger-400" data-testid="track-record">
          Local track record unavailable: {record.error}
        </p>
      ) : (
        <TrackRecord record={record} />
      )}
      <h2 className="font-semibold">Limitations</h2>
      <ul className="list-disc pl-5 text-sm">
        {(card.limitations ?? []).map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
      {card.notes && <p className="whitespace-pre-line text-sm text-ink-300">{card.notes}</p>}
      <p className="text-xs text-ink-500">
        Bundle {row.bundleId} · sha256 {row.sha256}
      </p>
    </article>
  );
}
