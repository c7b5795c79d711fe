"use client";

import { ActionOutcome } from "@/components/ui/action-outcome";
import { useState, useTransition } from "react";
import {
  createUserAction,
  resetUserPasswordAction,
  setUserDisabledAction,
  setUserRoleAction,
  type UserActionResult,
} from "@/lib/actions/user-actions";
import { ROLES } from "@/lib/auth/permissions";
import { roleLabel } from "@/lib/format/labels";
import { Button } from "@/components/ui/button";
import { keepInputOnSubmit } from "@/components/ui/form-submit";
import { inputClass } from "@/components/ui/field";

export interface AdminUserRow {
  id: string;
  name: string;
  email: string;
  role: string;
  disabled: boolean;
  activeSessions: number;
  createdAt: string;
}

export function CreateUserForm() {
  const [result, setResult] = useState<UserActionResult | null>(null);
  const [pending, start] = useTransition();
  return (
    <form
      className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-5"
      {...keepInputOnSubmit((form, element) =>
        start(async () => {
          const r = await createUserAction({
            name: String(form.get("name") ?? ""),
            email: String(form.get("email") ?? ""),
            role: String(form.get("role") ?? "analyst") as (typeof ROLES)[number],
            password: String(form.get("password") ?? ""),
          });
          setResult(r);
          if (r.ok) element.reset();
        }),
      )}
    >
      <label className="text-sm">
        Name
        <input name="name" required className={`mt-1 w-full ${inputClass}`} />
      </label>
      <label className="text-sm">
        Email
        <input name="email" type="email" required className={`mt-1 w-full ${inputClass}`} />
      </label>
      <label className="text-sm">
        Role
        <select name="role" defaultValue="analyst" className={`mt-1 w-full ${inputClass}`}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        Initial password
        <input
          name="password"
          type="password"
          minLength={8}
          required
          autoComplete="new-password"
          className={`mt-1 w-full ${inputClass}`}
        />
      </label>
      <div className="flex items-end">
        <Button type="submit" disabled={pending} variant="primary">
          {pending ? "Creating…" : "Create user"}
        </Button>
      </div>
      <div className="md:col-span-5">
        <ActionOutcome result={result} />
      </div>
    </form>
  );
}

export function UserRowActions({ user, isSelf }: { user: AdminUserRow; isSelf: boolean }) {
  const [result, setResult] = useState<UserActionResult | null>(null);
  const [pending, start] = useTransition();
  const [password, setPassword] = useState("");
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor={`role-${user.id}`}>
        Role of {user.email}
      </label>
      <select
        id={`role-${user.id}`}
        aria-label={`Role of ${user.email}`}
        defaultValue={user.role}
        disabled={pending || isSelf}
        onChange={(e) => {
          const select = e.target;
          const next = select.value;
          // a role decides what someone may see and change: ask before it takes effect
          if (
            !window.confirm(
              `Change the role of ${user.email} from ${roleLabel(user.role)} to ${roleLabel(next)}? ` +
                "What they may see and change follows the new role.",
            )
          ) {
            select.value = user.role;
            return;
          }
          start(async () => setResult(await setUserRoleAction(user.id, next)));
        }}
        className={inputClass}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {roleLabel(r)}
          </option>
        ))}
      </select>
      <Button
        type="button"
        disabled={pending || isSelf}
        onClick={() => start(async () => setResult(await setUserDisabledAction(user.id, !user.disabled)))}
      >
        {user.disabled ? "Enable" : "Disable"}
      </Button>
      <input
        type="password"
        aria-label={`New password for ${user.email}`}
        placeholder="new password"
        value={password}
        autoComplete="new-password"
        onChange={(e) => setPassword(e.target.value)}
        className={`w-36 ${inputClass}`}
      />
      <Button
        type="button"
        disabled={pending || password.length === 0}
        onClick={() =>
          start(async () => {
            const r = await resetUserPasswordAction(user.id, password);
            if (r.ok) setPassword("");
            setResult(r);
          })
        }
      >
        Reset password
      </Button>
      <ActionOutcome result={result} />
    </div>
  );
}
