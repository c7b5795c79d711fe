import Link from "next/link";

const LINKS = [
  { href: "/", label: "Overview" },
  { href: "/alerts", label: "Alerts" },
  { href: "/upload", label: "Upload" },
  { href: "/ingest", label: "Ingest jobs" },
  { href: "/rule", label: "Rule" },
  { href: "/rule/blind-spots", label: "Blind spots" },
];

export function NavBar() {
  return (
    <header className="border-b border-slate-200 bg-slate-900 text-slate-100">
      <nav className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3 text-sm">
        <Link href="/" className="font-semibold tracking-tight text-white">
          wmi-triage
        </Link>
        {LINKS.slice(1).map((l) => (
          <Link key={l.href} href={l.href} className="text-slate-300 hover:text-white">
            {l.label}
          </Link>
        ))}
      </nav>
    </header>
  );
}
