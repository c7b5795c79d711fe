"use client";

import { useLive } from "./use-live";

/** The nav's unread count, kept current by polling (the server renders the first value). */
export function LiveUnreadCount({ initial }: { initial: number }) {
  const live = useLive({});
  const unread = live?.unread ?? initial;
  return (
    <>
      <span className="sr-only">, {unread} unread</span>
      {unread > 0 && (
        <span
          data-testid="unread-count"
          aria-hidden
          className="ml-1 rounded-full bg-red-700 px-1.5 py-0.5 text-xs font-semibold text-white"
        >
          {unread}
        </span>
      )}
    </>
  );
}
