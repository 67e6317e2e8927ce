/**
 * The browser's side of the API contract: one call that fetches, reads the error envelope of a failed request
 * ({ error: { code, message, details } }, app/_server/api-route.ts) into an ApiError, and checks a successful body
 * against the route's response schema (lib/api/schemas.ts) instead of trusting its shape.
 */
import type { z, ZodType } from "zod";
import { errorEnvelopeSchema } from "./schemas";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/**
 * `what` names the action in the fallback message ("saving failed (HTTP 502)") when the server sent no envelope.
 * Network failures reject as fetch does.
 */
export async function fetchJson<S extends ZodType>(
  url: string,
  schema: S,
  init?: RequestInit,
  what = "request",
): Promise<z.infer<S>> {
  const res = await fetch(url, init);
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const env = errorEnvelopeSchema.safeParse(body);
    if (env.success)
      throw new ApiError(env.data.error.message, res.status, env.data.error.code, env.data.error.details);
    throw new ApiError(`${what} failed (HTTP ${res.status})`, res.status, "HTTP_ERROR");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ApiError(
      `${what}: unexpected answer from the server (${parsed.error.issues[0]?.message ?? "invalid"})`,
      res.status,
      "RESPONSE_INVALID",
    );
  return parsed.data;
}

/** JSON body init for POST/PUT/PATCH. */
export function jsonBody(method: "POST" | "PUT" | "PATCH" | "DELETE", value: unknown): RequestInit {
  return { method, headers: { "content-type": "application/json" }, body: JSON.stringify(value) };
}
