import Link from "next/link";
import type { ComponentProps } from "react";

/** The app's one button look: primary (the page's main action), secondary, danger, ghost (toolbars). */
export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";
export type ButtonSize = "sm" | "md";

const VARIANTS: Record<ButtonVariant, string> = {
  // bg-slate-900 turns light in the dark palette: text-white turns dark with it, so both themes contrast
  primary: "bg-slate-900 text-white hover:bg-slate-700 border border-transparent",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-100",
  danger: "bg-red-700 text-white hover:bg-red-800 border border-transparent",
  ghost: "border border-transparent text-slate-700 hover:bg-slate-100 hover:text-slate-900",
};
const SIZES: Record<ButtonSize, string> = { sm: "px-2 py-1 text-xs", md: "px-3 py-1.5 text-sm" };

export function buttonClass(variant: ButtonVariant = "secondary", size: ButtonSize = "md", extra = ""): string {
  return `inline-flex items-center justify-center gap-1 rounded font-medium whitespace-nowrap focus-ring disabled:cursor-not-allowed disabled:opacity-50 ${VARIANTS[variant]} ${SIZES[size]} ${extra}`.trim();
}

export function Button({
  variant = "secondary",
  size = "md",
  className = "",
  type = "button",
  ...props
}: ComponentProps<"button"> & { variant?: ButtonVariant; size?: ButtonSize }) {
  return <button type={type} className={buttonClass(variant, size, className)} {...props} />;
}

/** A link that looks like a button (navigations stay links: middle-click, open in new tab). */
export function ButtonLink({
  variant = "secondary",
  size = "md",
  className = "",
  ...props
}: ComponentProps<typeof Link> & { variant?: ButtonVariant; size?: ButtonSize }) {
  return <Link className={buttonClass(variant, size, className)} {...props} />;
}
