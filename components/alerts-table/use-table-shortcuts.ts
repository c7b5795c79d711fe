"use client";

import { useEffect } from "react";

export const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

/**
 * The list's keyboard: a key → handler map, ignored while typing in a field, with a modifier
 * held, or while `paused` (a dialog is open). A handler that returns false lets the key through.
 */
export function useTableShortcuts(handlers: Record<string, (e: KeyboardEvent) => boolean | void>, paused: boolean) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (paused || e.defaultPrevented || e.metaKey || e.ctrlKey || e.altKey || isTyping(e.target)) return;
      const handler = handlers[e.key];
      if (!handler || handler(e) === false) return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [handlers, paused]);
}
