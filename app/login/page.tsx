import { redirect } from "next/navigation";
import { SignInForm } from "@/components/sign-in-form";
import { getCurrentUser } from "@/lib/auth/session";
import { DEMO_ACCOUNTS } from "@/lib/demo-accounts";
import { getEnv } from "@/lib/env";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (await getCurrentUser()) redirect("/");
  const { next } = await searchParams;
  return (
    <div className="mx-auto mt-12 max-w-sm space-y-6 rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-xl font-semibold">Sign in to wmi-triage</h1>
      <SignInForm next={next} />
      {getEnv().WMI_HIDE_DEMO_ACCOUNTS !== "1" && (
        <details className="text-xs text-slate-600">
          <summary className="cursor-pointer">Demo accounts (demo only)</summary>
          <ul className="mt-2 space-y-1">
            {DEMO_ACCOUNTS.map((a) => (
              <li key={a.email} className="font-mono">
                {a.role}: {a.email} / {a.password}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
