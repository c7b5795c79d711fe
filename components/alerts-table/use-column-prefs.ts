"use client";

import { useCallback, useMemo, useState } from "react";
import { setAlertColumnsAction } from "@/lib/actions/preference-actions";
import type { ColumnPrefs } from "@/lib/preferences/preferences";
import { usePreferences } from "@/components/ui/preferences-context";

export type { ColumnPrefs } from "@/lib/preferences/preferences";

/**
 * Which columns an analyst shows and in which order: saved per user on the server
 * (user_preference.alert_columns), so the choice follows them to any browser. The page shows a
 * change at once; the save runs behind it.
 */
export function useColumnPrefs(allColumns: readonly string[]) {
  const { alertColumns } = usePreferences();
  // undefined: nothing changed on this page yet, the server's choice stands
  const [local, setLocal] = useState<ColumnPrefs | null | undefined>(undefined);
  const stored = local === undefined ? alertColumns : local;
  const prefs = useMemo<ColumnPrefs>(() => {
    const known = (ids: readonly string[] | undefined) => (ids ?? []).filter((id) => allColumns.includes(id));
    const order = known(stored?.order);
    // columns added after the preference was saved go at the end
    return { order: [...order, ...allColumns.filter((c) => !order.includes(c))], hidden: known(stored?.hidden) };
  }, [stored, allColumns]);

  const save = useCallback((next: ColumnPrefs) => {
    setLocal(next);
    void setAlertColumnsAction(next);
  }, []);

  const reset = useCallback(() => {
    setLocal(null);
    void setAlertColumnsAction(null);
  }, []);

  return { prefs, save, reset };
}
