import { existsSync, readFileSync } from "node:fs";
import { defaultModelsDir, readManifest } from "../deep/node/model-store";
import path from "node:path";
import type { PrismaClient } from "../../generated/prisma/client";

export interface HealthReport {
  status: "ok" | "degraded";
  version: string;
  database: { ok: boolean; kind: string; error?: string };
  models: {
    encoders: { backbone: string; label: string }[];
    activeBundle: { name: string; version: string; isDemo: boolean } | null;
  };
}

export function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.resolve("package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** What /api/health reports: app version, database reachability, installed encoders and the active model bundle. */
export async function checkHealth(
  prisma: PrismaClient | null,
  dbKind: string,
  dbError?: string,
): Promise<HealthReport> {
  let database: HealthReport["database"] = { ok: false, kind: dbKind, error: dbError };
  let activeBundle: HealthReport["models"]["activeBundle"] = null;
  if (prisma) {
    try {
      await prisma.$queryRawUnsafe("SELECT 1");
      database = { ok: true, kind: dbKind };
      const b = await prisma.modelBundle.findFirst({ where: { isActive: true } });
      activeBundle = b ? { name: b.name, version: b.version, isDemo: b.isDemo } : null;
    } catch (e) {
      database = { ok: false, kind: dbKind, error: (e as Error).message };
    }
  }
  let encoders: HealthReport["models"]["encoders"] = [];
  try {
    const dir = defaultModelsDir();
    encoders = Object.values(readManifest(dir).models)
      .filter((m) => m && existsSync(path.join(dir, m.file)))
      .map((m) => ({ backbone: m.backbone, label: m.label }));
  } catch {
    encoders = []; // an unreadable manifest shows as no encoders; `models list` says why
  }
  return {
    status: database.ok ? "ok" : "degraded",
    version: appVersion(),
    database,
    models: { encoders, activeBundle },
  };
}
