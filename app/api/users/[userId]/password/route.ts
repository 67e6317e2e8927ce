import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { passwordResetResponse } from "@/lib/api/schemas";
import { resetPassword } from "@/lib/auth/user-admin";
import { getPrisma } from "@/lib/db/prisma";
import { NacError } from "@/lib/errors";

export const dynamic = "force-dynamic";

const Body = z
  .object({
    /** The new password; absent: a random one is made. Either way it is answered once and stored only hashed. */
    password: z.string().min(12, "a password needs at least 12 characters").max(200).optional(),
  })
  .strict();

/**
 * Resets a local account's password (administrators only, audited as user.password_reset): the account's sessions end
 * at once. Not one's own (another administrator or `nac users reset-password` does that: the answer would end the
 * session that asked) and not a single sign-on account's. The answer is never cached (apiRoute: no-store).
 */
export const POST = apiRoute(
  {
    permission: "users.manage",
    params: z.object({ userId: z.string().uuid() }),
    body: Body,
    response: passwordResetResponse,
  },
  async ({ params, body, user, sourceAddress }) => {
    if (params.userId === user.id)
      throw new NacError(
        "CONFLICT",
        "you cannot reset your own password here: ask another administrator or use `npm run nac -- users reset-password`",
      );
    const r = await resetPassword(
      await getPrisma(),
      params.userId,
      { userId: user.id, username: user.username, sourceAddress },
      body.password,
    );
    return { username: r.username, password: r.password, generated: body.password === undefined };
  },
);
