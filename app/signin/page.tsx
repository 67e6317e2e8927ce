import { SignInForm } from "@/components/SignInForm";

export default function SignInPage() {
  return (
    <main className="flex min-h-[80vh] flex-col items-center justify-center gap-6">
      <h1 className="text-2xl font-semibold">NACpredict</h1>
      <p className="max-w-md text-center text-sm text-ink-300">
        Prediction of response to neoadjuvant chemotherapy from pre-treatment MRI and CT. Sign in with your site account.
      </p>
      <SignInForm />
    </main>
  );
}
