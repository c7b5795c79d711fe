"use client";

import { createContext, useContext, type ReactNode } from "react";
import { DEFAULT_PREFERENCES, type Preferences } from "@/lib/preferences/preferences";

const PreferencesContext = createContext<Preferences>(DEFAULT_PREFERENCES);

/** The signed-in user's display choices, read by the server and handed to client components. */
export function PreferencesProvider({ value, children }: { value: Preferences; children: ReactNode }) {
  return <PreferencesContext.Provider value={value}>{children}</PreferencesContext.Provider>;
}

export function usePreferences(): Preferences {
  return useContext(PreferencesContext);
}
