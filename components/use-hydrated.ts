import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False in the server HTML and until React has hydrated the page, then true. Controls whose
 * state lives in React (not in the form's own fields) stay disabled until then: a box ticked
 * before hydration changes the DOM but not the state, and saving would silently drop the tick.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
