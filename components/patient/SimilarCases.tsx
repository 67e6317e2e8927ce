import type { SimilarCasesResult } from "@/lib/pipeline/predict/similar-cases";

const OUTCOME = { pcr: ["pCR", "no pCR"], response: ["responder", "non-responder"] } as const;
const ENDPOINT = { pcr: "pCR", response: "Response" } as const;

/**
 * The k nearest training patients per endpoint, de-identified: rank, distance and outcomes only.
 * `null`: the model carries no training cases (the site did not allow it at registration); undefined: an older
 * prediction made before similar cases existed (nothing shown).
 */
export function SimilarCases({ cases }: { cases: SimilarCasesResult | undefined }) {
  if (cases === undefined) return null;
  if (cases === null) {
    return (
      <p className="text-xs text-ink-500" data-testid="similar-cases-off">
        Similar cases: not available for this model (the site did not allow training cases in the bundle at
        registration).
      </p>
    );
  }
  return (
    <section className="flex flex-col gap-1" data-testid="similar-cases" aria-label="Similar training cases">
      <h3 className="text-sm font-semibold">Similar training cases (de-identified)</h3>
      <p className="text-xs text-ink-500">
        The training patients nearest to this patient in the model&apos;s selected features (standardised, Euclidean
        distance), with their observed outcomes.
      </p>
      <div className="flex flex-wrap gap-4">
        {(["pcr", "response"] as const).map((ep) => (
          <table key={ep} className="text-xs" data-testid={`similar-cases-${ep}`}>
            <caption className="text-left text-ink-300">{ENDPOINT[ep]} model</caption>
            <thead className="text-ink-500">
              <tr>
                <th className="pr-2 text-left">#</th>
                <th className="pr-2 text-left">distance</th>
                <th className="pr-2 text-left">pCR</th>
                <th className="pr-2 text-left">response</th>
              </tr>
            </thead>
            <tbody>
              {cases[ep].map((c) => (
                <tr key={c.rank}>
                  <td className="pr-2">{c.rank}</td>
                  <td className="pr-2">{c.distance.toFixed(2)}</td>
                  {(["pcr", "response"] as const).map((o) => (
                    <td key={o} className="pr-2">
                      {c.outcomes[o] === undefined ? "—" : OUTCOME[o][c.outcomes[o] === 1 ? 0 : 1]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
    </section>
  );
}
