"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useTransition } from "react";
import { patchAlertParams, type AlertParamPatch } from "./alerts-url";

/** Pushes a change of the table state into the URL; the server re-renders the page from it. */
export function useAlertsUrl() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  const update = useCallback(
    (patch: AlertParamPatch) => {
      const qs = patchAlertParams(params.toString(), patch).toString();
      startTransition(() => router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false }));
    },
    [params, pathname, router],
  );
  return { params, update, pending };
}
