import Link from "next/link";
import { signOutAction } from "@/lib/actions/auth-actions";
import { can, type Permission } from "@/lib/auth/permissions";
import { getCurrentUser } from "@/lib/auth/session";
import { UnreadBadge } from "@/components/notifications/unread-badge";

// Each link shows only to roles that may open the page (the pages check again).
const LINKS: { href: string; label: string; permission: Permission }[] = [
  { href: "/alerts", label: "Alerts", permission: "alerts:read" },
  { href: "/upload", label: "Upload", permission: "events:ingest" },
  { href: "/ingest", label: "Ingest jobs", permission: "events:read" },
  { href: "/rule", label: "Rule", permission: "rule:read" },
  { href: "/rule/blind-spots", label: "Blind spots", permission: "rule:read" },
  { href: "/hunt", label: "Hunt", permission: "hunt:run" },
  { href: "/exceptions", label: "Exceptions", permission: "rule:read" },
  { href: "/cases", label: "Cases", permission: "cases:read" },
  { href: "/training", label: "Training", permission: "alerts:read" },
  { href: "/queue", label: "Queue", permission: "alerts:assign" },
  { href: "/qa", label: "QA", permission: "alerts:assign" },
  { href: "/metrics", label: "Metrics", permission: "metrics:read" },
  { href: "/audit", label: "Audit", permission: "audit:read" },
  { href: "/admin/users", label: "Users", permission: "users:manage" },
  { href: "/admin/tokens", label: "Tokens", permission: "tokens:manage" },
  { href: "/admin/sources", label: "Sources", permission: "tokens:manage" },
  { href: "/admin/retention", label: "Retention", permission: "retention:manage" },
];

export async function NavBar() {
  const user = await getCurrentUser();
  return (
    <header className="border-b border-slate-200 bg-slate-900 text-slate-100">
      <nav className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-5 gap-y-2 px-4 py-3 text-sm">
        <Link href="/" className="font-semibold tracking-tight text-white">
          wmi-triage
        </Link>
        {user &&
          LINKS.filter((l) => can(user.role, l.permission)).map((l) => (
            <Link key={l.href} href={l.href} className="text-slate-300 hover:text-white">
              {l.label}
            </Link>
          ))}
        {user && (
          <div className="ml-auto flex items-center gap-3">
            <UnreadBadge userId={user.id} />
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
