import Link from "next/link";
import { MarkReadButton } from "@/components/notifications/mark-read";
import { requirePageUser } from "@/lib/auth/session";
import { listNotifications } from "@/lib/data/notifications";
import { Time } from "@/components/ui/time";

export const dynamic = "force-dynamic";

export default async function NotificationsPage() {
  const user = await requirePageUser();
  const notifications = await listNotifications(user);
  const unread = notifications.filter((n) => !n.readAt);
  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Notifications</h1>
        {unread.length > 0 && <MarkReadButton label="Mark all read" />}
      </div>
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
        {notifications.map((n) => (
          <li
            key={n.id}
            data-testid="notification"
            data-unread={n.readAt ? "false" : "true"}
            className={`flex items-center gap-3 px-4 py-3 text-sm ${n.readAt ? "text-slate-600" : "font-medium"}`}
          >
            {!n.readAt && <span className="h-2 w-2 shrink-0 rounded-full bg-blue-600" role="img" aria-label="unread" />}
            <span className="literal grow">
              {n.link ? (
                <Link href={n.link} className="text-blue-700 hover:underline">
                  {n.text}
                </Link>
              ) : (
                n.text
              )}
            </span>
            <span className="shrink-0 text-xs text-slate-600">
              <Time value={n.createdAt} relative />
            </span>
            {!n.readAt && <MarkReadButton ids={[n.id]} label="Mark read" />}
          </li>
        ))}
        {notifications.length === 0 && <li className="px-4 py-6 text-center text-sm text-slate-600">Nothing yet.</li>}
      </ul>
    </div>
  );
}
