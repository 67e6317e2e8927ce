/**
 * DICOMweb data sources: admin configuration with the secret sealed at rest, and the client for a source.
 * The secret is decrypted only here, on the server, to build a client; nothing returns it.
 */
import type { PrismaClient } from "../../../generated/prisma/client";
import { recordAudit } from "../../audit/audit-log";
import { NacError } from "../../errors";
import { DicomWebClient, type DicomWebAuth } from "../../pacs/dicomweb-client";
import { openSecret, sealSecret } from "../../pacs/node/secret-box";
import { PacsSourceInput, type PublicPacsSource } from "../../pacs/source-config";

export interface PacsDeps {
  prisma: PrismaClient;
  /** AES-256 key for secrets at rest (loadOrCreatePacsKey) */
  secretKey: Buffer;
  /** tests inject a fetch to simulate a slow or broken network */
  fetch?: typeof fetch;
}

type SourceRow = NonNullable<Awaited<ReturnType<PrismaClient["pacsSource"]["findUnique"]>>>;

export function publicSource(s: SourceRow): PublicPacsSource {
  return {
    id: s.id,
    name: s.name,
    baseUrl: s.baseUrl,
    authKind: s.authKind as PublicPacsSource["authKind"],
    username: s.username,
    hasSecret: !!s.secretCiphertext,
    timeoutMs: s.timeoutMs,
    isDefault: s.isDefault,
  };
}

export async function listPacsSources(prisma: PrismaClient): Promise<PublicPacsSource[]> {
  return (await prisma.pacsSource.findMany({ orderBy: [{ isDefault: "desc" }, { name: "asc" }] })).map(publicSource);
}

/** Create, or update by name (an omitted secret keeps the stored one). One default source at a time. */
export async function savePacsSource(
  deps: PacsDeps,
  raw: unknown,
  user: { id: string | null; username: string },
): Promise<PublicPacsSource> {
  const r = PacsSourceInput.safeParse(raw);
  if (!r.success)
    throw new NacError(
      "VALIDATION_FAILED",
      `data source: ${r.error.issues[0].path.join(".")}: ${r.error.issues[0].message}`,
    );
  const input = r.data;
  const existing = await deps.prisma.pacsSource.findUnique({ where: { name: input.name } });
  if (input.authKind !== "none" && !input.secret && !existing?.secretCiphertext) {
    throw new NacError(
      "VALIDATION_FAILED",
      `data source: ${input.authKind === "basic" ? "a password" : "a token"} is required`,
    );
  }
  const data = {
    baseUrl: input.baseUrl.replace(/\/+$/, ""),
    authKind: input.authKind,
    username: input.authKind === "basic" ? (input.username ?? null) : null,
    timeoutMs: input.timeoutMs,
    isDefault: input.isDefault,
    ...(input.authKind === "none"
      ? { secretCiphertext: null }
      : input.secret
        ? { secretCiphertext: sealSecret(deps.secretKey, input.secret) }
        : {}),
  };
  const saved = await deps.prisma.$transaction(async (tx) => {
    if (input.isDefault)
      await tx.pacsSource.updateMany({
        where: { isDefault: true, name: { not: input.name } },
        data: { isDefault: false },
      });
    const row = existing
      ? await tx.pacsSource.update({ where: { id: existing.id }, data })
      : await tx.pacsSource.create({ data: { name: input.name, ...data } });
    await recordAudit(tx, {
      action: "pacs.source_save",
      userId: user.id,
      username: user.username,
      targetType: "pacs_source",
      targetId: row.id,
      details: { name: row.name, baseUrl: row.baseUrl, authKind: row.authKind, secretChanged: !!input.secret },
    });
    return row;
  });
  return publicSource(saved);
}

/** The source (the default one when no id is given) and a client holding its decrypted credentials. */
export async function pacsClient(
  deps: PacsDeps,
  sourceId?: string,
): Promise<{ source: PublicPacsSource; client: DicomWebClient }> {
  const s = sourceId
    ? await deps.prisma.pacsSource.findUnique({ where: { id: sourceId } })
    : await deps.prisma.pacsSource.findFirst({ orderBy: [{ isDefault: "desc" }, { createdAt: "asc" }] });
  if (!s)
    throw new NacError(
      sourceId ? "NOT_FOUND" : "PACS_NOT_CONFIGURED",
      sourceId
        ? `PACS data source ${sourceId} not found`
        : "no PACS is configured: an admin adds one under Admin → PACS",
    );
  let auth: DicomWebAuth = { kind: "none" };
  if (s.authKind === "basic")
    auth = {
      kind: "basic",
      username: s.username ?? "",
      password: s.secretCiphertext ? openSecret(deps.secretKey, s.secretCiphertext) : "",
    };
  else if (s.authKind === "bearer")
    auth = { kind: "bearer", token: s.secretCiphertext ? openSecret(deps.secretKey, s.secretCiphertext) : "" };
  return {
    source: publicSource(s),
    client: new DicomWebClient({ baseUrl: s.baseUrl, auth, timeoutMs: s.timeoutMs, fetch: deps.fetch }),
  };
}
