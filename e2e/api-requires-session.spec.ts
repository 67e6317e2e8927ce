import { expect, test } from "@playwright/test";

test("an API route without a session answers 401 with a stable error code, health stays public", async ({
  request,
}) => {
  const res = await request.get("/api/patients");
  expect(res.status()).toBe(401);
  expect(await res.json()).toEqual({ error: { code: "UNAUTHENTICATED", message: "sign in first" } });
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  const body = await health.json();
  expect(body.database).toMatchObject({ ok: true, kind: "pglite" });
  expect(typeof body.version).toBe("string");
});
