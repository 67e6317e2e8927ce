import type { PrismaClient } from "../../generated/prisma/client";
import { hashPassword, verifyPassword } from "./password";
import type { Role } from "./roles";

/**
 * Demo accounts with published passwords, for the embedded default's first start (or NAC_DEMO=1 on PostgreSQL).
 * Created once per database: a deleted demo account never comes back (app_settings remembers they were created).
 * While one is enabled with its published password, the start command and the admin's pages warn.
 * Sites create their own accounts: `npm run nac -- users create`.
 */
export const DEMO_ACCOUNTS: { username: string; password: string; displayName: string; role: Role }[] = [
  { username: "radiologist", password: "radiologist-demo", displayName: "Dr. Demo Radiologist", role: "radiologist" },
  { username: "oncologist", password: "oncologist-demo", displayName: "Dr. Demo Oncologist", role: "oncologist" },
  { username: "researcher", password: "researcher-demo", displayName: "Demo Researcher", role: "researcher" },
  { username: "admin", password: "admin-demo", displayName: "Demo Administrator", role: "admin" },
];

const CREATED_KEY = "demo_accounts_created";

/** Creates the demo accounts on a database that never had them; never changes or re-creates one. Returns those created. */
export async function ensureDemoAccounts(prisma: PrismaClient): Promise<string[]> {
  if (await prisma.appSetting.findUnique({ where: { key: CREATED_KEY } })) return [];
  const created: string[] = [];
  for (const a of DEMO_ACCOUNTS) {
    const exists = await prisma.user.findUnique({ where: { username: a.username } });
    if (exists) continue;
    await prisma.user.create({
      data: {
        username: a.username,
        displayName: a.displayName,
        role: a.role,
        passwordHash: await hashPassword(a.password),
      },
    });
    created.push(a.username);
  }
  await prisma.appSetting.upsert({
    where: { key: CREATED_KEY },
    create: { key: CREATED_KEY, value: { at: new Date().toISOString(), created } },
    update: {},
  });
  return created;
}

// userId + hash -> still the published password? (bcrypt costs ~60 ms: checked once per hash, not per page)
const checked = new Map<string, boolean>();

/** Enabled accounts that still accept a published demo password. */
export async function enabledDemoAccounts(prisma: PrismaClient): Promise<string[]> {
  const users = await prisma.user.findMany({
    where: { username: { in: DEMO_ACCOUNTS.map((a) => a.username) }, disabledAt: null },
  });
  const out: string[] = [];
  for (const u of users) {
    const key = `${u.id}:${u.passwordHash}`;
    let open = checked.get(key);
    if (open === undefined) {
      const demo = DEMO_ACCOUNTS.find((a) => a.username === u.username)!;
      open = u.passwordHash.startsWith("$2") && (await verifyPassword(demo.password, u.passwordHash));
      checked.set(key, open);
    }
    if (open) out.push(u.username);
  }
  return out;
}
