import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { GRANTABLE, type Permission } from "@/lib/auth/permissions";
import { setGrant, setUserDisabled } from "@/lib/auth/user-admin";
import { getPrisma } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

const Body = z
  .object({
    disabled: z.boolean().optional(),
    grant: z.enum(GRANTABLE as [Permission, ...Permission[]]).optional(),
    revoke: z.enum(GRANTABLE as [Permission, ...Permission[]]).optional(),
  })
  .strict()
  .refine((b) => b.disabled !== undefined || b.grant || b.revoke, "say what to change: disabled, grant or revoke");

/** Disable/enable an account (its sessions end at once) or grant/revoke a permission; administrators only, audited. */
export const PATCH = apiRoute(
  { permission: "users.manage", params: z.object({ userId: z.string().uuid() }), body: Body },
  async ({ params, body, user, sourceAddress }) => {
    const prisma = await getPrisma();
    const actor = { userId: user.id, username: user.username, sourceAddress };
    const changes = [];
    if (body.disabled !== undefined) changes.push(await setUserDisabled(prisma, params.userId, body.disabled, actor));
    if (body.grant) changes.push(await setGrant(prisma, params.userId, body.grant, true, actor));
    if (body.revoke) changes.push(await setGrant(prisma, params.userId, body.revoke, false, actor));
    return { changes };
  },
);
