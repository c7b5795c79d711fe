import { useId, type ReactElement, type ReactNode } from "react";
import { cloneElement } from "react";

/** The input look, for inputs, selects and textareas written by hand. */
export const inputClass =
  "rounded border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 focus-ring disabled:opacity-50";

/**
 * A labelled form control with its hint and error: the label and the messages are tied to the
 * control (htmlFor, aria-describedby, aria-invalid), so screen readers read them with it.
 */
export function Field({
  label,
  hint,
  error,
  children,
  className = "",
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  children: ReactElement<{ id?: string; "aria-describedby"?: string; "aria-invalid"?: boolean }>;
  className?: string;
}) {
  const id = useId();
  const controlId = children.props.id ?? `${id}-control`;
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`flex flex-col gap-1 text-sm ${className}`}>
      <label htmlFor={controlId} className="font-medium text-slate-700">
        {label}
      </label>
      {cloneElement(children, {
        id: controlId,
        "aria-describedby": described,
        "aria-invalid": error ? true : undefined,
      })}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} role="alert" className="text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
