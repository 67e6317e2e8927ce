import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

/**
 * Issue 16 item 3: an administrator resets a user's password on the Users page; the new password (shown once) signs the
 * user in, the old one no longer does, and the user's open session ended. The demo researcher's published password is
 * put back at the end (through the same API) so other specs can still use the account.
 */
test("an administrator resets a password on the Users page; the user signs in with the new one only", async ({
  browser,
}, info) => {
  const userCtx = await browser.newContext();
  const user = await userCtx.newPage();
  await signIn(user, "researcher", "researcher-demo");
  await expect(user).toHaveURL(/\/worklist/);

  const adminCtx = await browser.newContext();
  const admin = await adminCtx.newPage();
  await signIn(admin, "admin", "admin-demo");
  await expect(admin).toHaveURL(/\/worklist/);
  await admin.goto("/admin/users");
  const row = admin.getByTestId("user-row-researcher");
  admin.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Reset password" }).click();
  const shown = row.getByTestId("new-password").locator("code");
  await expect(shown).toHaveText(/^[A-Za-z0-9_-]{16}$/);
  const password = (await shown.textContent())!;
  await admin.screenshot({ path: info.outputPath("users-page-reset.png") });
  // no reset button on one's own row, nor on single sign-on accounts
  await expect(admin.getByTestId("user-row-admin").getByRole("button", { name: "Reset password" })).toHaveCount(0);

  // the researcher's open session ended: the next page is the sign-in page
  await user.goto("/worklist");
  await expect(user).toHaveURL(/\/signin/);
  await signIn(user, "researcher", "researcher-demo");
  await expect(user.getByTestId("signin-error")).toBeVisible();
  await expect(user).toHaveURL(/\/signin/);
  await signIn(user, "researcher", password);
  await expect(user).toHaveURL(/\/worklist/);

  const users = (await (await admin.request.get("/api/users")).json()).users as { id: string; username: string }[];
  const id = users.find((u) => u.username === "researcher")!.id;
  const restored = await admin.evaluate(
    async (userId) =>
      (
        await fetch(`/api/users/${userId}/password`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ password: "researcher-demo" }),
        })
      ).status,
    id,
  );
  expect(restored).toBe(200);
  await userCtx.close();
  await adminCtx.close();
});
