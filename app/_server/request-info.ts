/**
 * What a request says about where it came from. Next's server sets X-Forwarded-For to the socket's address only when
 * the request carries none, so a client talking to Next directly could name any address: the site's reverse proxy
 * must overwrite the header (docs/SECURITY.md). Recorded as given, capped at 200 characters.
 */
type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(h: HeaderSource, name: string): string | undefined {
  if (typeof (h as Headers).get === "function") return (h as Headers).get(name) ?? undefined;
  const v = (h as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

export function sourceAddressOf(h: HeaderSource): string | null {
  const xff = header(h, "x-forwarded-for")?.trim();
  const real = header(h, "x-real-ip")?.trim();
  const v = xff || real;
  return v ? v.slice(0, 200) : null;
}

/** Served over TLS: the public URL is https, or the site's TLS-terminating proxy says so (X-Forwarded-Proto). */
export function isSecureRequest(h: HeaderSource, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NEXTAUTH_URL?.startsWith("https://")) return true;
  return header(h, "x-forwarded-proto")?.split(",")[0].trim().toLowerCase() === "https";
}

export const SESSION_COOKIE = "next-auth.session-token";
export const SECURE_SESSION_COOKIE = "__Secure-next-auth.session-token";
