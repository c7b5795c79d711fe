"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

export interface NavLink {
  href: string;
  label: string;
  /** shown in the bar on wide screens; the others (and all of them on a phone) sit in the menu */
  primary: boolean;
}

const isCurrent = (pathname: string, href: string) =>
  pathname === href ||
  (pathname.startsWith(`${href}/`) && href !== "/rule") ||
  (href === "/rule" && pathname === "/rule");

/**
 * The nav's links: the primary ones in the bar from 768 px, the rest in a "More" menu (everything
 * in "Menu" on a phone), so the bar is one line at 1280 px for every role. The current page is
 * marked with aria-current.
 */
export function NavLinks({ links, children }: { links: NavLink[]; children?: React.ReactNode }) {
  const pathname = usePathname();
  const menu = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    // a client-side navigation does not close a <details>
    if (menu.current) menu.current.open = false;
  }, [pathname]);
  const linkClass = (href: string) =>
    `focus-ring rounded px-2 py-1 whitespace-nowrap ${isCurrent(pathname, href) ? "bg-slate-100 font-medium text-slate-900" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900"}`;
  return (
    <>
      <ul className="hidden items-center gap-1 md:flex">
        {links
          .filter((l) => l.primary)
          .map((l) => (
            <li key={l.href}>
              <Link
                href={l.href}
                className={linkClass(l.href)}
                aria-current={isCurrent(pathname, l.href) ? "page" : undefined}
              >
                {l.label}
              </Link>
            </li>
          ))}
      </ul>
      <details ref={menu} className="relative" data-testid="nav-more">
        <summary className="focus-ring cursor-pointer list-none rounded px-2 py-1 whitespace-nowrap text-slate-700 hover:bg-slate-100 hover:text-slate-900">
          <span className="md:hidden">Menu ▾</span>
          <span className="hidden md:inline">More ▾</span>
        </summary>
        <ul className="absolute left-0 z-30 mt-1 min-w-48 rounded-lg border border-slate-200 bg-white py-1 shadow-lg">
          {links.map((l) => (
            <li key={l.href} className={l.primary ? "md:hidden" : ""}>
              <Link
                href={l.href}
                className={`block ${linkClass(l.href)} rounded-none px-3`}
                aria-current={isCurrent(pathname, l.href) ? "page" : undefined}
              >
                {l.label}
              </Link>
            </li>
          ))}
          {children && <li className="mt-1 border-t border-slate-200 pt-1">{children}</li>}
        </ul>
      </details>
    </>
  );
}
