import Link from "next/link";
import { LiveUnreadCount } from "@/components/live/live-unread-count";
import { countUnreadNotifications } from "@/lib/data/notifications";

/** For the nav bar: a link with the number of unread notifications, kept current while the page is open. */
export async function UnreadBadge({ userId }: { userId: string }) {
  const unread = await countUnreadNotifications(userId);
  return (
    <Link
      href="/notifications"
      className="focus-ring relative rounded px-2 py-1 whitespace-nowrap text-slate-700 hover:bg-slate-100 hover:text-slate-900"
      data-testid="unread-badge"
    >
      Notifications
      <LiveUnreadCount initial={unread} />
    </Link>
  );
}
