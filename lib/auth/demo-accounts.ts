import type { PrismaClient } from "../../generated/prisma/client";
import { hashPassword } from "./password";
import type { Role } from "./roles";

/**
 * Demo accounts created on first start of the embedded default (printed by the start command, listed in the README).
 * Sites replace them: `npm run nac -- users create`.
 */
export const DEMO_ACCOUNTS: { username: string; password: string; displayName: string; role: Role }[] = [
  { username: "radiologist", password: "radiologist-demo", displayName: "Dr. Demo Radiologist", role: "radiologist" },
  { username: "oncologist", password: "oncologist-demo", displayName: "Dr. Demo Oncologist", role: "oncologist" },
  { username: "researcher", password: "researcher-demo", displayName: "Demo Researcher", role: "researcher" },
  { username: "admin", password: "admin-demo", displayName: "Demo Administrator", role: "admin" },
];

/** Creates the demo accounts that do not exist yet; never changes an existing account. Returns those created. */
export async function ensureDemoAccounts(prisma: PrismaClient): Promise<string[]> {
  const created: string[] = [];
  for (const a of DEMO_ACCOUNTS) {
    const exists = await prisma.user.findUnique({ where: { username: a.username } });
    if (exists) continue;
    await prisma.user.create({
      data: { username: a.username, displayName: a.displayName, role: a.role, passwordHash: await hashPassword(a.password) },
    });
    created.push(a.username);
  }
  return created;
}
