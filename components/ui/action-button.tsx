"use client";

import { useState, useTransition, type ComponentProps } from "react";

type Outcome = { ok: true } | { ok: false; error: { message: string } };

/**
 * A button that runs one server action and says beside it why it failed (on success the page
 * revalidates, so there is nothing to say). `confirmText` asks first, for what cannot be undone.
 */
export function ActionButton({
  run,
  confirmText,
  errorClassName = "ml-2 text-sm text-red-700",
  ...props
}: Omit<ComponentProps<"button">, "onClick" | "type"> & {
  run: () => Promise<Outcome>;
  confirmText?: string;
  errorClassName?: string;
}) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        {...props}
        type="button"
        disabled={pending || props.disabled}
        onClick={() => {
          if (confirmText && !confirm(confirmText)) return;
          start(async () => {
            const r = await run();
            setError(r.ok ? null : r.error.message);
          });
        }}
      />
      {error && (
        <span role="alert" className={errorClassName}>
          {error}
        </span>
      )}
    </>
  );
}
