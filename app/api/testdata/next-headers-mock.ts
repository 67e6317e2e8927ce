/**
 * Route and page tests call handlers directly; pages read the request's cookies and headers through `next/headers`.
 * `vi.mock("next/headers", () => nextHeadersFrom(jar))` answers them from a cookie jar the test fills at sign-in.
 */
export function nextHeadersFrom(jar: { cookie: string }, forwardedFor = "10.9.8.7") {
  return {
    cookies: async () => ({
      get: (name: string) => {
        const m = new RegExp(`(?:^|; )${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}=([^;]*)`).exec(jar.cookie);
        return m ? { name, value: m[1] } : undefined;
      },
      getAll: () =>
        jar.cookie
          .split("; ")
          .filter(Boolean)
          .map((c) => ({ name: c.split("=")[0], value: c.slice(c.indexOf("=") + 1) })),
    }),
    headers: async () => new Headers({ cookie: jar.cookie, "x-forwarded-for": forwardedFor }),
  };
}
