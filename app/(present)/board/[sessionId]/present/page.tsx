import Link from "next/link";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { deidSalt } from "@/app/_server/deid-salt";
import { sourceAddressOf } from "@/app/_server/request-info";
import { requirePageSession } from "@/app/_server/session";
import { BoardKeys } from "@/components/board/BoardKeys";
import { identifiedFor } from "@/lib/auth/patient-view";
import { getPrisma } from "@/lib/db/prisma";
import { isNacError } from "@/lib/errors";
import { boardCaseView, type BoardCaseView } from "@/lib/pipeline/board/case-view";
import { getFileStore } from "@/lib/storage/server-store";

const pct = (p: number) => `${Math.round(100 * p)} %`;

/**
 * Presentation mode: one patient per screen for a projector at 1920 × 1080, large type, high
 * contrast; keyboard steps through the session. Each case rendered is audited (board.case_view) by boardCaseView.
 */
export default async function PresentPage({
  params,
  searchParams,
}: {
  params: Promise<{ sessionId: string }>;
  searchParams: Promise<{ case?: string }>;
}) {
  const user = await requirePageSession();
  const { sessionId } = await params;
  const n = Number((await searchParams).case ?? "1");
  if (!/^[0-9a-f-]{36}$/.test(sessionId) || !Number.isInteger(n) || n < 1) notFound();
  let v: BoardCaseView;
  try {
    const view = { identified: identifiedFor(user), salt: deidSalt(), sourceAddress: sourceAddressOf(await headers()) };
    v = await boardCaseView({ prisma: await getPrisma(), store: getFileStore() }, sessionId, n - 1, user, view);
  } catch (e) {
    if (isNacError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
  const p = v.prediction;
  const greyed = !!p && p.incomplete.length > 0;
  return (
    <div
      className="flex min-h-[calc(100vh-28px)] flex-col gap-4 px-8 py-4"
      data-testid="board-case"
      data-position={v.session.position + 1}
    >
      <BoardKeys sessionId={v.session.id} position={v.session.position} count={v.session.count} />
      <header className="flex items-baseline justify-between border-b border-gray-600 pb-2">
        <span className="text-2xl text-gray-300" data-testid="board-case-number">
          Case {v.session.position + 1} / {v.session.count} · {v.session.title}
        </span>
        <h1 className="text-4xl font-bold" data-testid="board-patient">
          {v.patient.displayName ?? `Case ${v.session.position + 1}`}
          {v.patient.patientKey && (
            <span className="ml-4 text-3xl font-normal text-gray-300">{v.patient.patientKey}</span>
          )}
          {v.patient.isSynthetic && (
            <span className="ml-4 rounded bg-gray-700 px-2 text-xl font-normal">synthetic</span>
          )}
        </h1>
        <span className="text-2xl text-gray-300" data-testid="board-model">
          {p ? (
            <>
              Model {p.model.name} · version {p.model.version}
              {p.model.isDemo && (
                <span className="ml-2 rounded bg-yellow-300 px-2 font-semibold text-black">demo, synthetic data</span>
              )}
            </>
          ) : (
            "no prediction"
          )}
        </span>
      </header>
      <div className="grid flex-1 grid-cols-[3fr_2fr] gap-8">
        <div className="flex flex-col gap-4">
          <div className="grid grid-cols-3 gap-4" data-testid="board-key-images">
            {v.keyImages.map((k) => (
              <figure key={k.role} className="flex flex-col gap-1" data-testid={`board-image-${k.label}`}>
                {k.pngBase64 ? (
                  // eslint-disable-next-line @next/next/no-img-element -- generated data URL, not an optimisable asset
                  <img
                    alt={`${k.label} key image with tumour ROI and peritumoral shell`}
                    src={`data:image/png;base64,${k.pngBase64}`}
                    className="aspect-square w-full bg-gray-900 object-contain"
                  />
                ) : (
                  <div className="flex aspect-square w-full items-center justify-center bg-gray-900 p-4 text-center text-2xl text-gray-400">
                    {k.absent}
                  </div>
                )}
                <figcaption className="text-2xl">
                  <b>{k.label}</b>
                  {k.roiVersion !== undefined && <span className="text-gray-300"> · ROI v{k.roiVersion}</span>}
                  {k.volumeMl !== undefined && (
                    <span className="block" data-testid={`board-measure-${k.label}`}>
                      {k.volumeMl.toFixed(1)} mL · longest {k.longestDiameterMm!.toFixed(0)} mm
                    </span>
                  )}
                </figcaption>
              </figure>
            ))}
          </div>
          <p className="text-lg text-gray-400">
            Tumour ROI red, peritumoral shell amber. Longest diameter: 3D, between voxel centres.
          </p>
          <section aria-label="Clinical summary" data-testid="board-clinical">
            <h2 className="mb-1 text-2xl font-semibold">
              Clinical
              {v.clinical && <span className="font-normal text-gray-400"> · record version {v.clinical.version}</span>}
            </h2>
            {v.clinical ? (
              <ul className="grid grid-cols-2 gap-x-8 text-2xl">
                {v.clinical.summary.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            ) : (
              <p className="text-2xl text-gray-400">No clinical record.</p>
            )}
          </section>
        </div>
        <div className="flex flex-col gap-4">
          {!p && <p className="text-3xl text-gray-300">No prediction for this patient yet.</p>}
          {p && p.incomplete.length > 0 && (
            <p
              role="alert"
              className="border-2 border-red-500 p-2 text-2xl text-red-300"
              data-testid="board-incomplete"
            >
              Incomplete: {p.incomplete.join("; ")}. The numbers below are not this patient&apos;s full picture.
            </p>
          )}
          {p && p.outdated.length > 0 && (
            <p
              role="alert"
              className="border-2 border-orange-400 p-2 text-2xl text-orange-200"
              data-testid="board-outdated"
            >
              Outdated: {p.outdated.join("; ")}.
            </p>
          )}
          {p?.endpoints.map((e) => (
            <section key={e.key} aria-label={e.label} data-testid={`board-endpoint-${e.key}`}>
              <h2 className="text-3xl">{e.label}</h2>
              <p
                className={`text-8xl leading-none font-bold ${greyed ? "text-gray-500" : "text-white"}`}
                data-testid={`board-probability-${e.key}`}
              >
                {pct(e.probability)}
              </p>
              <p className="text-2xl text-gray-200" data-testid={`board-uncertainty-${e.key}`}>
                {e.spread.n} partition models: {pct(e.spread.mean)} ± {(100 * e.spread.sd).toFixed(0)} points (range{" "}
                {pct(e.spread.min)}–{pct(e.spread.max)})
              </p>
              <ul className="mt-1 text-xl text-gray-200" data-testid={`board-contributions-${e.key}`}>
                {e.contributions.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
              {e.imputed.length > 0 && (
                <p className="text-xl text-gray-400">
                  Imputed, not the patient&apos;s values: {e.imputed.length} of the top inputs
                </p>
              )}
            </section>
          ))}
          {p && (
            <p className="text-lg text-gray-400">
              Large number: the final model, trained on all training patients. Range: the partition models, each trained
              on part of them. Contributions: log-odds.
            </p>
          )}
          {p && p.warnings.length > 0 && (
            <ul className="list-disc pl-6 text-xl text-yellow-300" data-testid="board-warnings">
              {p.warnings.slice(0, 4).map((w) => (
                <li key={w}>{w}</li>
              ))}
              {p.warnings.length > 4 && <li>and {p.warnings.length - 4} more (see the report)</li>}
            </ul>
          )}
        </div>
      </div>
      <footer className="flex justify-between text-lg text-gray-400">
        <span>← → step · Home / End · Esc leaves</span>
        <Link href="/board" className="underline">
          Leave presentation
        </Link>
      </footer>
    </div>
  );
}
