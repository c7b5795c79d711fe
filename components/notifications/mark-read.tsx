"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { markNotificationsReadAction } from "@/lib/actions/notification-actions";

export function MarkReadButton({ ids, label }: { ids?: string[]; label: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() =>
        start(async () => {
          await markNotificationsReadAction(ids);
          router.refresh();
        })
      }
      className="rounded border border-slate-300 bg-white px-2 py-1 text-xs disabled:opacity-50"
    >
      {label}
    </button>
  );
}
