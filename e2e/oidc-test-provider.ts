#!/usr/bin/env tsx
/**
 * A real OpenID Connect provider for the single sign-on tests (the `oidc-provider` package, certified OpenID
 * implementation), on a loopback port. Its development login form accepts any login and password; the login decides
 * the groups claim: `<anything>-radiologist` -> nac-radiologist, `<anything>-admin` -> nac-admin, else no group
 * (NACpredict must refuse that person). Test-only: never part of the app.
 *
 * Run: `tsx e2e/oidc-test-provider.ts` with OIDC_TEST_PORT and OIDC_TEST_REDIRECT (the app's callback URL).
 */
import Provider from "oidc-provider";

export const OIDC_TEST_CLIENT = { id: "nacpredict-test", secret: "nacpredict-test-secret-not-for-production" };

export function groupsFor(login: string): string[] {
  if (login.endsWith("-radiologist")) return ["nac-radiologist"];
  if (login.endsWith("-admin")) return ["nac-admin"];
  return ["staff"];
}

export function createTestProvider(issuer: string, redirectUris: string[]) {
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_TEST_CLIENT.id,
        client_secret: OIDC_TEST_CLIENT.secret,
        redirect_uris: redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], profile: ["name", "preferred_username"], groups: ["groups"] },
    scopes: ["openid", "profile", "groups"],
    // claims go into the ID token, which next-auth reads (idToken: true)
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, sub) {
      return {
        accountId: sub,
        async claims() {
          return { sub, preferred_username: sub, name: `Dr. ${sub}`, groups: groupsFor(sub) };
        },
      };
    },
    // The dev interactions ask for consent once per client; grant what the client asks for.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope("openid profile groups");
      await grant.save();
      return grant;
    },
  });
  provider.proxy = false;
  return provider;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.OIDC_TEST_PORT ?? 4100);
  const issuer = `http://127.0.0.1:${port}`;
  const provider = createTestProvider(issuer, (process.env.OIDC_TEST_REDIRECT ?? "").split(",").filter(Boolean));
  provider.listen(port, "127.0.0.1");
  console.log(`test OpenID Connect provider on ${issuer}`);
}
