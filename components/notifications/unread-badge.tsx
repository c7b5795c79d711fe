import Link from "next/link";
import { countUnreadNotifications } from "@/lib/data/notifications";

/** For the nav bar: a bell link with the number of unread notifications (server component). */
export async function UnreadBadge({ userId }: { userId: string }) {
  const unread = await countUnreadNotifications(userId);
  return (
    <Link
      href="/notifications"
      className="relative text-slate-300 hover:text-white"
      aria-label={`Notifications, ${unread} unread`}
      data-testid="unread-badge"
    >
      Notifications
      {unread > 0 && (
        <span className="ml-1 rounded-full bg-red-600 px-1.5 py-0.5 text-xs font-semibold text-white">{unread}</span>
      )}
    </Link>
  );
}
