/**
 * Encryption at rest of PACS secrets (passwords, bearer tokens): AES-256-GCM with a key kept next to the embedded
 * database (`$NAC_DATA_DIR/pacs-secret-key`, mode 0600, created once) or given as NAC_PACS_SECRET_KEY (64 hex digits,
 * for several instances). A database dump alone therefore does not reveal them. Node only.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { NacError } from "../../errors";

export function loadOrCreatePacsKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  if (env.NAC_PACS_SECRET_KEY) {
    if (!/^[0-9a-f]{64}$/i.test(env.NAC_PACS_SECRET_KEY))
      throw new NacError("BAD_REQUEST", "NAC_PACS_SECRET_KEY must be 64 hexadecimal digits");
    return Buffer.from(env.NAC_PACS_SECRET_KEY, "hex");
  }
  const file = path.join(dataDir, "pacs-secret-key");
  if (existsSync(file)) return Buffer.from(readFileSync(file, "utf8").trim(), "hex");
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, key.toString("hex"), { mode: 0o600 });
  renameSync(tmp, file);
  return key;
}

export function sealSecret(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
  return `v1:${iv.toString("base64")}:${c.getAuthTag().toString("base64")}:${body.toString("base64")}`;
}

export function openSecret(key: Buffer, sealed: string): string {
  const [v, iv, tag, body] = sealed.split(":");
  if (v !== "v1" || !iv || !tag || body === undefined)
    throw new NacError(
      "PACS_NOT_CONFIGURED",
      "the data source's stored secret is unreadable: an admin must enter it again",
    );
  try {
    const d = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
    d.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([d.update(Buffer.from(body, "base64")), d.final()]).toString("utf8");
  } catch {
    throw new NacError(
      "PACS_NOT_CONFIGURED",
      "the data source's secret was sealed with another key (data directory or NAC_PACS_SECRET_KEY changed): an admin must enter it again",
    );
  }
}
