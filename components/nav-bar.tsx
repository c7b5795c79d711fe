import Link from "next/link";
import { signOutAction } from "@/lib/actions/auth-actions";
import { can, type Permission } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import type { Theme } from "@/lib/preferences/preferences";
import { UnreadBadge } from "@/components/notifications/unread-badge";
import { ThemeMenu } from "@/components/theme-menu";
import { Badge } from "@/components/ui/badge";
import { NavLinks } from "@/components/nav-links";
import { TimeZoneSelect } from "@/components/time-zone-select";
import { roleLabel } from "@/lib/format/labels";

// Each link shows only to roles that may open the page (the pages check again). Primary links sit
// in the bar; the rest in its "More" menu.
const LINKS: { href: string; label: string; permission: Permission; primary?: true }[] = [
  { href: "/alerts", label: "Alerts", permission: "alerts:read", primary: true },
  { href: "/queue", label: "Queue", permission: "alerts:assign", primary: true },
  { href: "/cases", label: "Cases", permission: "cases:read", primary: true },
  { href: "/hunt", label: "Hunt", permission: "hunt:run", primary: true },
  { href: "/upload", label: "Upload", permission: "events:ingest", primary: true },
  { href: "/rule", label: "Rule", permission: "rule:read", primary: true },
  { href: "/training", label: "Training", permission: "alerts:read", primary: true },
  { href: "/ingest", label: "Ingest jobs", permission: "events:read" },
  { href: "/rule/blind-spots", label: "Blind spots", permission: "rule:read" },
  { href: "/exceptions", label: "Exceptions", permission: "rule:read" },
  { href: "/qa", label: "QA", permission: "alerts:assign" },
  { href: "/metrics", label: "Metrics", permission: "metrics:read" },
  { href: "/audit", label: "Audit", permission: "audit:read" },
  { href: "/admin/users", label: "Users", permission: "users:manage" },
  { href: "/admin/tokens", label: "Tokens", permission: "tokens:manage" },
  { href: "/admin/sources", label: "Sources", permission: "tokens:manage" },
  { href: "/admin/webhooks", label: "Webhooks", permission: "tokens:manage" },
  { href: "/admin/retention", label: "Retention", permission: "retention:manage" },
];

export async function NavBar({ user, theme }: { user: CurrentUser | null; theme: Theme }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav aria-label="Main" className="flex items-center gap-x-3 px-4 py-2 text-sm">
        <Link href="/" className="focus-ring rounded font-semibold tracking-tight whitespace-nowrap text-slate-900">
          wmi-triage
        </Link>
        {user && (
          <NavLinks
            links={LINKS.filter((l) => can(user.role, l.permission)).map((l) => ({
              href: l.href,
              label: l.label,
              primary: l.primary ?? false,
            }))}
          >
            <TimeZoneSelect />
            {/* on a phone the bar keeps only the menu and notifications: theme and sign out live here */}
            <div className="space-y-2 px-3 pb-2 sm:hidden">
              <ThemeMenu theme={theme} testId="theme-select-menu" />
              <form action={signOutAction}>
                <button type="submit" className="focus-ring rounded py-1 text-slate-700 hover:text-slate-900">
                  Sign out
                </button>
              </form>
            </div>
          </NavLinks>
        )}
        {user && (
          <div className="ml-auto flex min-w-0 items-center gap-2">
            <UnreadBadge userId={user.id} />
            <div className="hidden sm:block">
              <ThemeMenu theme={theme} />
            </div>
            <span data-testid="current-user" className="hidden min-w-0 items-center gap-1 text-slate-700 lg:flex">
              <span className="truncate">{user.name}</span> <Badge>{roleLabel(user.role)}</Badge>
            </span>
            <form action={signOutAction}>
              <button
                type="submit"
                className="focus-ring rounded px-2 py-1 whitespace-nowrap text-slate-700 hover:bg-slate-100 hover:text-slate-900"
              >
                Sign out
              </button>
            </form>
          </div>
        )}
      </nav>
    </header>
  );
}
