"use client";

import { useCallback, useMemo, useSyncExternalStore } from "react";

/** Which columns an analyst shows and in which order: per browser, in localStorage. */
const STORAGE_KEY = "wmi-triage.alerts-table.columns.v1";
const EVENT = "wmi-triage-columns";

export interface ColumnPrefs {
  order: string[];
  hidden: string[];
}

function subscribe(onChange: () => void) {
  window.addEventListener("storage", onChange);
  window.addEventListener(EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(EVENT, onChange);
  };
}

const read = () => {
  try {
    return window.localStorage.getItem(STORAGE_KEY) ?? "";
  } catch {
    return "";
  }
};

export function useColumnPrefs(allColumns: readonly string[]) {
  const raw = useSyncExternalStore(subscribe, read, () => "");
  const prefs = useMemo<ColumnPrefs>(() => {
    let stored: Partial<ColumnPrefs> = {};
    try {
      stored = raw ? (JSON.parse(raw) as Partial<ColumnPrefs>) : {};
    } catch {
      stored = {};
    }
    const known = (ids: unknown) =>
      Array.isArray(ids) ? ids.filter((id): id is string => allColumns.includes(id as string)) : [];
    const order = known(stored.order);
    // columns added after the preference was saved go at the end
    return { order: [...order, ...allColumns.filter((c) => !order.includes(c))], hidden: known(stored.hidden) };
  }, [raw, allColumns]);

  const save = useCallback((next: ColumnPrefs) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch {
      // private mode or full storage: the choice lasts for this page only
    }
    window.dispatchEvent(new Event(EVENT));
  }, []);

  const reset = useCallback(() => {
    try {
      window.localStorage.removeItem(STORAGE_KEY);
    } catch {
      // nothing stored that we could remove
    }
    window.dispatchEvent(new Event(EVENT));
  }, []);

  return { prefs, save, reset };
}
