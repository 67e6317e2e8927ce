import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readServerConfig } from "./server-config";
import { loadOrCreateDeidSalt, loadOrCreateSecret, MIN_SECRET_LENGTH } from "./secret";

const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe("secrets and transport settings (issue 16 item 7)", () => {
  const dir = () => mkdtempSync(path.join(os.tmpdir(), "nac-secret-"));

  it("refuses a short NEXTAUTH_SECRET or NAC_DEID_SALT with a clear message", () => {
    expect(() => loadOrCreateSecret(dir(), env({ NEXTAUTH_SECRET: "short" }))).toThrow(
      /NEXTAUTH_SECRET is 5 characters; use at least 32/,
    );
    expect(() => loadOrCreateSecret(dir(), env({ NEXTAUTH_SECRET: "" }))).toThrow(/at least 32/);
    expect(loadOrCreateSecret(dir(), env({ NEXTAUTH_SECRET: "x".repeat(MIN_SECRET_LENGTH) }))).toHaveLength(32);
    expect(() => loadOrCreateDeidSalt(dir(), env({ NAC_DEID_SALT: "abc" }))).toThrow(/NAC_DEID_SALT/);
  });

  it("keeps the de-identification salt separate from the session secret (files mode 0600)", () => {
    const d = dir();
    const secret = loadOrCreateSecret(d, env({}));
    const salt = loadOrCreateDeidSalt(d, env({}));
    expect(salt).not.toBe(secret);
    expect(salt.length).toBeGreaterThanOrEqual(MIN_SECRET_LENGTH);
    expect(statSync(path.join(d, "deid-salt")).mode & 0o777).toBe(0o600);
    // rotating the session secret leaves the salt, hence the pseudonyms, alone
    expect(loadOrCreateDeidSalt(d, env({ NEXTAUTH_SECRET: "y".repeat(40) }))).toBe(salt);
  });

  it("carries a pre-split deployment's salt over (its session-secret file), so pseudonyms do not change", () => {
    const d = dir();
    writeFileSync(path.join(d, "session-secret"), "legacy-secret-used-as-salt-until-issue-16");
    expect(existsSync(path.join(d, "deid-salt"))).toBe(false);
    expect(loadOrCreateDeidSalt(d, env({}))).toBe("legacy-secret-used-as-salt-until-issue-16");
    expect(readFileSync(path.join(d, "deid-salt"), "utf8")).toBe("legacy-secret-used-as-salt-until-issue-16");
  });

  it("listens on the loopback interface unless NAC_BIND_ADDRESS says otherwise", () => {
    expect(readServerConfig(env({})).bindAddress).toBe("127.0.0.1");
    expect(readServerConfig(env({ NAC_BIND_ADDRESS: "0.0.0.0" })).bindAddress).toBe("0.0.0.0");
    expect(() => readServerConfig(env({ NAC_BIND_ADDRESS: "every interface" }))).toThrow(/NAC_BIND_ADDRESS/);
  });
});
