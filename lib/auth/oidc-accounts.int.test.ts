import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database";
import { openTestDatabase, testBackend } from "../db/test-database";
import { parseRoleMap, roleFromClaims, signInOidcAccount } from "./oidc-accounts";

const mapping = { claim: "groups", map: parseRoleMap("nac-rad=radiologist, nac-admins=admin") };
const ISS = "https://idp.example.org";

describe(`single sign-on accounts (${testBackend()})`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => db?.close());

  it("maps a claim to a role: mapped values, plain role names, the most capable wins, none refused", () => {
    expect(roleFromClaims({ groups: ["staff", "nac-rad"] }, mapping)).toBe("radiologist");
    expect(roleFromClaims({ groups: ["nac-rad", "nac-admins"] }, mapping)).toBe("admin");
    expect(roleFromClaims({ groups: "oncologist" }, mapping)).toBe("oncologist");
    expect(roleFromClaims({ groups: ["staff"] }, mapping)).toBeNull();
    expect(roleFromClaims({}, mapping)).toBeNull();
    expect(() => parseRoleMap("nac-rad=surgeon")).toThrow(/NAC_OIDC_ROLE_MAP/);
  });

  it("creates a linked local account at first sign-in, follows the IdP's role later, refuses when disabled", async () => {
    const first = await signInOidcAccount(
      db.prisma,
      { issuer: ISS, subject: "s-1", claims: { preferred_username: "jdoe", name: "Dr J Doe", groups: ["nac-rad"] } },
      mapping,
      "10.0.0.5",
    );
    expect(first).toMatchObject({ username: "jdoe", role: "radiologist", displayName: "Dr J Doe" });
    const again = await signInOidcAccount(
      db.prisma,
      { issuer: ISS, subject: "s-1", claims: { preferred_username: "jdoe", name: "Dr J Doe", groups: ["nac-admins"] } },
      mapping,
    );
    expect(again).toMatchObject({ id: first!.id, role: "admin" });
    await db.prisma.user.update({ where: { id: first!.id }, data: { disabledAt: new Date() } });
    expect(
      await signInOidcAccount(
        db.prisma,
        { issuer: ISS, subject: "s-1", claims: { preferred_username: "jdoe", groups: ["nac-rad"] } },
        mapping,
      ),
    ).toBeNull();
    const events = await db.prisma.auditEvent.findMany({ where: { username: "jdoe" }, orderBy: { at: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["user.create", "auth.sign_in", "auth.sign_in", "auth.sign_in_failed"]);
    expect(events[1].sourceAddress).toBe("10.0.0.5");
  });

  it("never attaches an IdP identity to an existing local account of the same name, and refuses a person with no role", async () => {
    await db.prisma.user.create({
      data: { username: "admin", displayName: "Local admin", role: "admin", passwordHash: "$2a$10$x" },
    });
    expect(
      await signInOidcAccount(
        db.prisma,
        { issuer: ISS, subject: "s-2", claims: { preferred_username: "admin", groups: ["nac-admins"] } },
        mapping,
      ),
    ).toBeNull();
    expect(
      await signInOidcAccount(
        db.prisma,
        { issuer: ISS, subject: "s-3", claims: { preferred_username: "visitor", groups: ["staff"] } },
        mapping,
      ),
    ).toBeNull();
    expect(await db.prisma.user.findUnique({ where: { username: "visitor" } })).toBeNull();
    expect(await db.prisma.externalIdentity.count()).toBe(1);
  });
});
