import Link from "next/link";
import { signOutAction } from "@/lib/actions/auth-actions";
import { getCurrentUser } from "@/lib/auth/session";

const LINKS = [
  { href: "/alerts", label: "Alerts" },
  { href: "/upload", label: "Upload" },
  { href: "/ingest", label: "Ingest jobs" },
  { href: "/rule", label: "Rule" },
  { href: "/rule/blind-spots", label: "Blind spots" },
];

export async function NavBar() {
  const user = await getCurrentUser();
  return (
    <header className="border-b border-slate-200 bg-slate-900 text-slate-100">
      <nav className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3 text-sm">
        <Link href="/" className="font-semibold tracking-tight text-white">
          wmi-triage
        </Link>
        {user &&
          LINKS.map((l) => (
            <Link key={l.href} href={l.href} className="text-slate-300 hover:text-white">
              {l.label}
            </Link>
          ))}
        {user && (
          <div className="ml-auto flex items-center gap-3">
            <span data-testid="current-user" className="text-slate-300">
              {user.name} <span className="rounded bg-slate-700 px-1.5 py-0.5 text-xs">{user.role}</span>
            </span>
            <form action={signOutAction}>
              <button type="submit" className="text-slate-300 hover:text-white">
                Sign out
              </button>
            </form>
          </div>
        )}
      </nav>
    </header>
  );
}
