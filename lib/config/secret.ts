import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { NacError } from "../errors";

/** Shortest accepted NEXTAUTH_SECRET / NAC_DEID_SALT: 32 characters (>= 128 bits of a base64 random string). */
export const MIN_SECRET_LENGTH = 32;

/**
 * The session-signing secret: NEXTAUTH_SECRET if set (at least 32 characters), else a random one created once in the
 * data directory (mode 0600), so sessions survive restarts without anyone having to invent a secret.
 */
export function loadOrCreateSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.NEXTAUTH_SECRET !== undefined) return checked("NEXTAUTH_SECRET", env.NEXTAUTH_SECRET);
  const file = path.join(dataDir, "session-secret");
  // A session-secret file without a deid-salt beside it marks a deployment from before the split (see below): a new
  // deployment creates its salt first, so its own secret is never taken for a legacy salt.
  if (!existsSync(file)) loadOrCreateFile(path.join(dataDir, "deid-salt"));
  return loadOrCreateFile(file);
}

/**
 * The de-identification salt (pseudonyms = hash(salt, PatientID)), separate from the session secret so that rotating
 * one never changes the other: NAC_DEID_SALT if set, else `deid-salt` in the data directory. A deployment from before
 * the split used its session-secret file as the salt: the first start copies it, so pseudonyms stay the same.
 */
export function loadOrCreateDeidSalt(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.NAC_DEID_SALT !== undefined) return checked("NAC_DEID_SALT", env.NAC_DEID_SALT);
  const file = path.join(dataDir, "deid-salt");
  const legacy = path.join(dataDir, "session-secret");
  if (!existsSync(file) && existsSync(legacy)) writeAtomic(file, readFileSync(legacy, "utf8").trim());
  return loadOrCreateFile(file);
}

function checked(name: string, v: string): string {
  if (v.length < MIN_SECRET_LENGTH) {
    throw new NacError(
      "SETTINGS_INVALID",
      `${name} is ${v.length} characters; use at least ${MIN_SECRET_LENGTH} random characters (e.g. \`openssl rand -base64 32\`)`,
    );
  }
  return v;
}

function loadOrCreateFile(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeAtomic(file, secret);
  return secret;
}

function writeAtomic(file: string, value: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, value, { mode: 0o600 });
  renameSync(tmp, file);
}
