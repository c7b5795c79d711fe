"use client";

import { useState, useTransition } from "react";
import { createApiTokenAction, revokeApiTokenAction } from "@/lib/actions/user-actions";
import { ActionButton } from "@/components/ui/action-button";
import { Button } from "@/components/ui/button";
import { keepInputOnSubmit } from "@/components/ui/form-submit";
import { inputClass } from "@/components/ui/field";

export function CreateTokenForm() {
  const [pending, start] = useTransition();
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <form
        className="flex items-end gap-3"
        {...keepInputOnSubmit((form, element) =>
          start(async () => {
            const r = await createApiTokenAction(String(form.get("name") ?? ""));
            if (r.ok) {
              setCreated({ name: r.name, token: r.token });
              setError(null);
              element.reset();
            } else setError(r.error.message);
          }),
        )}
      >
        <label className="text-sm">
          Token name
          <input name="name" required maxLength={100} className={`mt-1 block w-72 ${inputClass}`} />
        </label>
        <Button type="submit" disabled={pending} variant="primary">
          Create token
        </Button>
      </form>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      {created && (
        <div className="rounded border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="new-token">
          <p className="font-medium">Token “{created.name}” — copy it now, it will not be shown again:</p>
          <code className="literal mt-1 block select-all">{created.token}</code>
        </div>
      )}
    </div>
  );
}

export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  return (
    <ActionButton
      aria-label={`Revoke ${name}`}
      confirmText={`Revoke the token “${name}”? Machines using it will be refused.`}
      run={() => revokeApiTokenAction(id)}
      className="rounded border border-red-300 px-2 py-1 text-sm text-red-700 disabled:opacity-50"
    >
      Revoke
    </ActionButton>
  );
}
