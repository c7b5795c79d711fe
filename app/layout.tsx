import type { Metadata } from "next";
import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import { NavBar } from "@/components/nav-bar";
import { PreferencesProvider } from "@/components/ui/preferences-context";
import { getCurrentUser } from "@/lib/auth/session";
import { getUserPreferences } from "@/lib/data/user-preferences";
import { DEFAULT_PREFERENCES, themeClass } from "@/lib/preferences/preferences";
import "./globals.css";

// every page depends on the signed-in user
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "wmi-triage",
  description: "Investigation dashboard for Suspicious WMI Event Subscription Created",
  icons: { icon: "/favicon.svg" },
  robots: { index: false, follow: false },
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const user = await getCurrentUser();
  // the saved theme is in the server's HTML: no flash of the other theme, no script needed
  const preferences = user ? await getUserPreferences(user) : DEFAULT_PREFERENCES;
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable} ${themeClass(preferences.theme)}`}>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <a
          href="#main"
          className="focus-ring sr-only rounded bg-white px-3 py-2 focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50"
        >
          Skip to content
        </a>
        <PreferencesProvider value={preferences}>
          <NavBar user={user} theme={preferences.theme} />
          <main id="main" className="mx-auto w-full max-w-[120rem] px-4 py-6">
            {children}
          </main>
        </PreferencesProvider>
      </body>
    </html>
  );
}
