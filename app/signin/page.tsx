import { SignInForm } from "@/components/SignInForm";

/** Local accounts always; the site's identity provider too when NAC_OIDC_ISSUER is set (docs/SECURITY.md). */
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  const sso = process.env.NAC_OIDC_ISSUER ? (process.env.NAC_OIDC_NAME ?? "hospital sign-in") : null;
  return (
    <main className="flex min-h-[80vh] flex-col items-center justify-center gap-6">
      <h1 className="text-2xl font-semibold">NACpredict</h1>
      <p className="max-w-md text-center text-sm text-ink-300">
        Prediction of response to neoadjuvant chemotherapy from pre-treatment MRI and CT. Sign in with your site
        account.
      </p>
      {error && (
        <p role="alert" data-testid="signin-refused" className="max-w-md text-center text-sm text-danger-400">
          {error === "AccessDenied"
            ? "Sign-in refused: your account has no NACpredict role, or it is disabled. Ask your administrator."
            : "Sign-in failed. Try again."}
        </p>
      )}
      <SignInForm sso={sso} />
    </main>
  );
}
