import type { PrismaClient } from "../../generated/prisma/client";
import { recordAudit } from "../audit/audit-log";
import { NacError } from "../errors";
import type { AuthenticatedUser } from "./credentials";
import { isRole, type Role } from "./roles";

/**
 * Single sign-on accounts. The identity provider is authoritative for who the person is and which role they hold (a
 * claim, mapped to a NACpredict role at every sign-in); NACpredict keeps a local account row (linked by issuer +
 * subject) so audit rows, authorship and a local disable work the same as for local accounts.
 */
export interface OidcRoleMapping {
  /** Claim holding the role or groups (string or string array), e.g. "roles" or "groups". */
  claim: string;
  /** IdP value -> NACpredict role; values that are themselves role names map to that role when absent here. */
  map: Record<string, Role>;
}

/** "idp-group=role,other=role" (NAC_OIDC_ROLE_MAP). */
export function parseRoleMap(text: string | undefined): Record<string, Role> {
  const out: Record<string, Role> = {};
  for (const part of (text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const i = part.lastIndexOf("=");
    const role = part.slice(i + 1).trim();
    if (i <= 0 || !isRole(role))
      throw new NacError(
        "SETTINGS_INVALID",
        `NAC_OIDC_ROLE_MAP: "${part}" is not idp-value=role (roles: radiologist, oncologist, researcher, admin)`,
      );
    out[part.slice(0, i).trim()] = role;
  }
  return out;
}

// When a person holds several mapped values, the most capable role wins: the IdP group is the site's decision.
const ROLE_PRECEDENCE: Role[] = ["admin", "radiologist", "oncologist", "researcher"];

export function roleFromClaims(claims: Record<string, unknown>, mapping: OidcRoleMapping): Role | null {
  const raw = claims[mapping.claim];
  const values = (Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(/[ ,]+/) : []).filter(
    (v): v is string => typeof v === "string",
  );
  const roles = new Set(
    values.map((v) => mapping.map[v] ?? (isRole(v) ? v : null)).filter((r): r is Role => r !== null),
  );
  return ROLE_PRECEDENCE.find((r) => roles.has(r)) ?? null;
}

export interface OidcProfile {
  issuer: string;
  subject: string;
  claims: Record<string, unknown>;
}

/** Finds or creates the local account of an IdP user and sets its role from the claim; null (audited) when refused. */
export async function signInOidcAccount(
  prisma: PrismaClient,
  p: OidcProfile,
  mapping: OidcRoleMapping,
  sourceAddress: string | null = null,
): Promise<AuthenticatedUser | null> {
  const str = (k: string) => (typeof p.claims[k] === "string" ? (p.claims[k] as string) : undefined);
  const username = (str("preferred_username") ?? str("email") ?? p.subject).slice(0, 100);
  const displayName = (str("name") ?? username).slice(0, 200);
  const refuse = async (reason: string) => {
    await recordAudit(prisma, {
      action: "auth.sign_in_failed",
      username,
      outcome: "denied",
      details: { provider: "oidc", issuer: p.issuer, subject: p.subject, reason },
      sourceAddress,
    });
    return null;
  };
  const role = roleFromClaims(p.claims, mapping);
  if (!role) return refuse(`no NACpredict role in claim "${mapping.claim}"`);
  const link = await prisma.externalIdentity.findUnique({
    where: { issuer_subject: { issuer: p.issuer, subject: p.subject } },
  });
  let user = link ? await prisma.user.findUnique({ where: { id: link.userId } }) : null;
  if (!user) {
    // Never attach an IdP identity to an existing local account by name: "admin" at the IdP is not our admin.
    if (await prisma.user.findUnique({ where: { username } }))
      return refuse(`username ${username} belongs to a local account`);
    user = await prisma.$transaction(async (tx) => {
      const u = await tx.user.create({ data: { username, displayName, role, passwordHash: "!oidc" } });
      await tx.externalIdentity.create({ data: { issuer: p.issuer, subject: p.subject, userId: u.id } });
      await recordAudit(tx, {
        action: "user.create",
        userId: u.id,
        username,
        targetType: "user",
        targetId: u.id,
        details: { provider: "oidc", issuer: p.issuer, role },
        sourceAddress,
      });
      return u;
    });
  } else if (user.role !== role || user.displayName !== displayName) {
    user = await prisma.user.update({ where: { id: user.id }, data: { role, displayName } });
  }
  if (user.disabledAt) return refuse("disabled");
  await recordAudit(prisma, {
    action: "auth.sign_in",
    userId: user.id,
    username: user.username,
    details: { provider: "oidc", issuer: p.issuer, role },
    sourceAddress,
  });
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}
