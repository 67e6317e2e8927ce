import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { ResearchBanner } from "@/components/ResearchBanner";
import "./globals.css";

export const metadata: Metadata = {
  title: "NACpredict — research use only",
  description: "Prediction of response to neoadjuvant chemotherapy in breast cancer. Research use only.",
  icons: { icon: "/favicon.svg" },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: the CSP nonce (proxy.ts) must reach Next's scripts, which a prerendered page lacks.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen">
        <ResearchBanner />
        {children}
      </body>
    </html>
  );
}
