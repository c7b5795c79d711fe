"use client";

import { useRouter } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import { setAlertColumnsAction } from "@/lib/actions/preference-actions";
import { chosenFields, fieldColumnId, resolveColumnPrefs, toggleFieldColumn } from "@/lib/preferences/field-columns";
import type { ColumnPrefs } from "@/lib/preferences/preferences";
import { usePreferences } from "@/components/ui/preferences-context";

export type { ColumnPrefs } from "@/lib/preferences/preferences";

/**
 * Which columns an analyst shows and in which order, the ECS fields they added included: saved
 * per user on the server (user_preference.alert_columns), so the choice follows them to any
 * browser. The page shows a change at once; the save runs behind it. An added field's values come
 * with the rows (the server reads the saved fields), so adding one reloads the rows once saved.
 */
export function useColumnPrefs(allColumns: readonly string[]) {
  const router = useRouter();
  const { alertColumns } = usePreferences();
  // undefined: nothing changed on this page yet, the server's choice stands
  const [local, setLocal] = useState<ColumnPrefs | null | undefined>(undefined);
  const stored = local === undefined ? alertColumns : local;
  const prefs = useMemo(() => resolveColumnPrefs(stored, allColumns), [stored, allColumns]);
  const fields = useMemo(() => chosenFields(prefs), [prefs]);

  const save = useCallback((next: ColumnPrefs) => {
    setLocal(next);
    void setAlertColumnsAction(next);
  }, []);

  const reset = useCallback(() => {
    setLocal(null);
    void setAlertColumnsAction(null);
  }, []);

  const toggleField = useCallback(
    (path: string) => {
      const adding = !prefs.order.includes(fieldColumnId(path));
      const next = toggleFieldColumn(prefs, path);
      setLocal(next);
      void setAlertColumnsAction(next).then(() => {
        if (adding) router.refresh();
      });
    },
    [prefs, router],
  );

  return { prefs, fields, save, reset, toggleField };
}
