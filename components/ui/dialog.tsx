"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";

/**
 * A modal dialog on the native <dialog> (showModal): the browser traps focus, Escape closes, the
 * rest of the page is inert, and focus returns where it was. Render it only while open.
 */
export function Dialog({
  title,
  onClose,
  children,
  className = "w-[28rem]",
  as = "div",
  onSubmit,
}: {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  className?: string;
  /** "form": the body is a form (Enter submits) */
  as?: "div" | "form";
  onSubmit?: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  const body = (
    <>
      <h2 id={titleId} className="mb-3 font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </>
  );
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className={`m-auto max-w-[calc(100vw-2rem)] rounded-lg border border-slate-200 bg-white p-4 text-slate-900 shadow-xl backdrop:bg-slate-950/40 ${className}`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        // a click on the backdrop lands on the dialog element itself
        if (e.target === ref.current) onClose();
      }}
    >
      {as === "form" ? (
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            onSubmit?.();
          }}
        >
          {body}
        </form>
      ) : (
        body
      )}
    </dialog>
  );
}
