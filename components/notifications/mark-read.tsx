"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { markNotificationsReadAction } from "@/lib/actions/notification-actions";
import { Button } from "@/components/ui/button";

export function MarkReadButton({ ids, label }: { ids?: string[]; label: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      type="button"
      disabled={pending}
      onClick={() =>
        start(async () => {
          await markNotificationsReadAction(ids);
          router.refresh();
        })
      }
      size="sm"
    >
      {label}
    </Button>
  );
}
