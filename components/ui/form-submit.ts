import type { FormEvent } from "react";

// Given as the form's action so that the server-rendered form cannot be submitted natively before
// hydration (React renders a function action as a guard, and replays an early submit); never called:
// the submit handler prevents the default, and React then runs no action.
const NO_NATIVE_SUBMIT = () => {};

/**
 * Props for a form that hands `act` its data and element on submit. Used instead of a form
 * `action` alone, which React follows by emptying the form: a refused submission (a URL refused, a
 * stale version, a missing note) would lose what was typed. The form is emptied only where `act`
 * calls `element.reset()` after a success. Spread on the form: `<form {...keepInputOnSubmit(fn)}>`.
 */
export function keepInputOnSubmit(act: (form: FormData, element: HTMLFormElement) => void) {
  return {
    action: NO_NATIVE_SUBMIT,
    onSubmit: (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      act(new FormData(event.currentTarget), event.currentTarget);
    },
  };
}
