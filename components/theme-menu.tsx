"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { inputClass } from "@/components/ui/field";
import { setThemeAction } from "@/lib/actions/preference-actions";
import { THEMES, themeClass, type Theme } from "@/lib/preferences/preferences";

const LABELS: Record<Theme, string> = { system: "System theme", light: "Light theme", dark: "Dark theme" };

/** The per-user theme, saved on the server; the page's <html> class changes at once, no reload. */
export function ThemeMenu({ theme, testId = "theme-select" }: { theme: Theme; testId?: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <select
      aria-label="Theme"
      data-testid={testId}
      value={theme}
      disabled={pending}
      className={`${inputClass} py-0.5 text-xs`}
      onChange={(e) => {
        const next = e.target.value as Theme;
        applyTheme(next);
        startTransition(async () => {
          await setThemeAction(next);
          router.refresh();
        });
      }}
    >
      {THEMES.map((t) => (
        <option key={t} value={t}>
          {LABELS[t]}
        </option>
      ))}
    </select>
  );
}

function applyTheme(theme: Theme) {
  const html = document.documentElement;
  html.classList.remove("dark", "light", "theme-system");
  html.classList.add(themeClass(theme));
}
