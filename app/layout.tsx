import type { Metadata } from "next";
import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import { NavBar } from "@/components/nav-bar";
import "./globals.css";

// every page depends on the signed-in user
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "wmi-triage",
  description: "Investigation dashboard for Suspicious WMI Event Subscription Created",
  icons: { icon: "/favicon.svg" },
  robots: { index: false, follow: false },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <NavBar />
        <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
      </body>
    </html>
  );
}
