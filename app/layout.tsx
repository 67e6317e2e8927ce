import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ResearchBanner } from "@/components/ResearchBanner";
import "./globals.css";

export const metadata: Metadata = {
  title: "NACpredict — research use only",
  description: "Prediction of response to neoadjuvant chemotherapy in breast cancer. Research use only.",
  icons: { icon: "/favicon.svg" },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <ResearchBanner />
        {children}
      </body>
    </html>
  );
}
