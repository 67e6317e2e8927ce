/**
 * Registering a model bundle file: stored once per bundleId + version with its `model_bundles` row (audited), next to
 * the loader of the active bundle (active-bundle.ts). Used by the demo seeding, the model registry and the CLI.
 */
import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { recordAudit } from "../audit/audit-log";
import { NacError } from "../errors";
import { loadBundleOrThrow } from "../ml/bundle";
import { sha256Hex, type FileStore } from "../storage/file-store";

export interface RegisterDeps {
  prisma: PrismaClient;
  store: FileStore;
}

export interface RegisterResult {
  action: "registered" | "exists";
  id: string;
  bundleId: string;
  version: string;
  isActive: boolean;
}

/**
 * Stores a bundle file (`bundles/<bundleId>-<version>.json`) and its `model_bundles` row, once per bundleId + version.
 * A demo bundle becomes active unless a non-demo bundle is active (a site's own model is never displaced by the demo).
 */
export async function registerBundle(
  deps: RegisterDeps,
  bytes: Uint8Array,
  o: { activate?: boolean; actor?: { id: string | null; username: string | null } } = {},
): Promise<RegisterResult> {
  let doc: { bundleId?: unknown; bundleVersion?: unknown };
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new NacError("MODEL_INVALID", `model bundle is not valid JSON: ${(e as Error).message}`);
  }
  // Already registered: skip the full verification (schema, hashes, 22 models), which costs seconds on every start.
  if (typeof doc.bundleId === "string" && typeof doc.bundleVersion === "string") {
    const existing = await deps.prisma.modelBundle.findUnique({
      where: { bundleId_version: { bundleId: doc.bundleId, version: doc.bundleVersion } },
    });
    if (existing)
      return {
        action: "exists",
        id: existing.id,
        bundleId: doc.bundleId,
        version: doc.bundleVersion,
        isActive: existing.isActive,
      };
  }
  const b = loadBundleOrThrow(doc).bundle;
  const stored = await deps.store.put(
    `bundles/${b.bundleId.replace(/[^A-Za-z0-9._-]/g, "_")}-${b.bundleVersion.replace(/[^A-Za-z0-9._-]/g, "_")}.json`,
    bytes,
  );
  const metrics = Object.fromEntries(
    Object.entries(b.endpoints).map(([k, e]) => [
      k,
      {
        label: e.label,
        nRows: e.nRows,
        nPositive: e.nPositive,
        partitions: e.partitions.length,
        summary: e.metrics.summary,
      },
    ]),
  );
  return deps.prisma.$transaction(async (tx) => {
    const activeOthers = await tx.modelBundle.findMany({ where: { isActive: true } });
    const activate = o.activate ?? (b.modelCard.demo ? activeOthers.every((x) => x.isDemo) : true);
    if (activate && activeOthers.length)
      await tx.modelBundle.updateMany({ where: { isActive: true }, data: { isActive: false } });
    const row = await tx.modelBundle.create({
      data: {
        bundleId: b.bundleId,
        version: b.bundleVersion,
        name: b.modelCard.title,
        isActive: activate,
        isDemo: b.modelCard.demo,
        storageKey: stored.key,
        sha256: sha256Hex(bytes),
        card: b.modelCard as unknown as Prisma.InputJsonValue,
        metrics: metrics as unknown as Prisma.InputJsonValue,
      },
    });
    await recordAudit(tx, {
      action: "model.register",
      userId: o.actor?.id ?? null,
      username: o.actor?.username ?? null,
      targetType: "model_bundle",
      targetId: row.id,
      details: {
        bundleId: b.bundleId,
        version: b.bundleVersion,
        sha256: row.sha256,
        isActive: activate,
        isDemo: row.isDemo,
        similarCases: !!b.trainingCases,
      },
    });
    return {
      action: "registered" as const,
      id: row.id,
      bundleId: b.bundleId,
      version: b.bundleVersion,
      isActive: activate,
    };
  });
}
