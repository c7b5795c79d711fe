import Link from "next/link";
import { countUnreadNotifications } from "@/lib/data/notifications";

/** For the nav bar: a bell link with the number of unread notifications (server component). */
export async function UnreadBadge({ userId }: { userId: string }) {
  const unread = await countUnreadNotifications(userId);
  return (
    <Link
      href="/notifications"
      className="focus-ring relative rounded px-2 py-1 whitespace-nowrap text-slate-700 hover:bg-slate-100 hover:text-slate-900"
      aria-label={`Notifications, ${unread} unread`}
      data-testid="unread-badge"
    >
      Notifications
      {unread > 0 && (
        <span className="ml-1 rounded-full bg-red-700 px-1.5 py-0.5 text-xs font-semibold text-white">{unread}</span>
      )}
    </Link>
  );
}
