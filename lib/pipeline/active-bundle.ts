/**
 * The active model bundle: verified against its stored sha256, parsed and instantiated once per process, with the
 * case feature specification it was trained with. Predict uses it; so do the viewer's shell overlay and the report,
 * so that the peritumoral region shown is the one the model measures.
 */
import type { ModelBundle, PrismaClient } from "../../generated/prisma/client";
import { NacError } from "../errors";
import { loadBundleOrThrow, type LoadedBundle } from "../ml/bundle";
import type { FileStore } from "../storage/file-store";
import { sha256Hex } from "../storage/file-store";
import { caseSpecFromBundle } from "./case-features/bundle";
import { DEFAULT_PERI_SHELL_MODE, periShellModeOf, type PeriShellMode } from "./case-features";

/** Parsed bundles by file sha256: a bundle is verified and its models instantiated once per process. */
const bundleCache = new Map<string, LoadedBundle>();

type Deps = { prisma: PrismaClient; store: FileStore };

export async function loadActiveBundleOrThrow(deps: Deps) {
  const active = await loadActiveBundle(deps);
  if (!active) throw new NacError("NOT_FOUND", "no active model bundle");
  return active;
}

/** The active bundle, or null when none is registered (a broken one still throws). */
async function loadActiveBundle(deps: Deps) {
  const row = await deps.prisma.modelBundle.findFirst({ where: { isActive: true }, orderBy: { createdAt: "desc" } });
  if (!row) return null;
  return loadBundleRow(deps, row);
}

/** A registered bundle (active or not, e.g. the one a stored prediction used), verified and parsed. */
export async function loadBundleRow(deps: Deps, row: ModelBundle) {
  let lb = bundleCache.get(row.sha256);
  if (!lb) {
    const bytes = await deps.store.get(row.storageKey);
    if (sha256Hex(bytes) !== row.sha256)
      throw new NacError(
        "MODEL_INVALID",
        `stored model bundle ${row.bundleId} ${row.version} does not match its sha256`,
      );
    lb = loadBundleOrThrow(new TextDecoder().decode(bytes) as unknown);
    bundleCache.set(row.sha256, lb);
  }
  for (const ep of ["pcr", "response"]) {
    if (!lb.bundle.endpoints[ep])
      throw new NacError("MODEL_INVALID", `active model bundle ${row.bundleId} ${row.version} has no "${ep}" endpoint`);
  }
  return { row, lb, spec: caseSpecFromBundle(lb.bundle) };
}

/**
 * How the active bundle measures its peritumoral shell; without an active bundle, what a newly trained bundle would
 * use. A broken active bundle is an error here too: the overlay must not silently differ from the model's region.
 */
export async function activeShellMeasure(deps: Deps): Promise<PeriShellMode> {
  const active = await loadActiveBundle(deps);
  return active ? periShellModeOf(active.spec) : DEFAULT_PERI_SHELL_MODE;
}
