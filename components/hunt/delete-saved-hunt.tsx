"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { deleteSavedHuntAction } from "@/lib/actions/hunt-actions";

export function DeleteSavedHunt({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <button
      type="button"
      aria-label={`Delete saved query ${name}`}
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          await deleteSavedHuntAction(id);
          router.refresh();
        })
      }
      className="text-xs text-red-700 hover:underline"
    >
      delete
    </button>
  );
}
