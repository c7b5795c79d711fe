"use client";

import type { FormEvent } from "react";
import { useAlertsUrl } from "./use-alerts-url";
import { Button } from "@/components/ui/button";

interface Option {
  id: string;
  label: string;
}

const toLocalInput = (iso: string | null) => (iso ? iso.slice(0, 16) : "");
const fromLocalInput = (v: FormDataEntryValue | null) => (v ? `${String(v)}:00Z` : null);

/** The filter form: text fields apply on submit (Enter), selects at once. Values are UTC. */
export function AlertFilters({ users, cases }: { users: Option[]; cases: Option[] }) {
  const { params, update, pending } = useAlertsUrl();
  const key = params.toString();

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const text = (k: string) => String(data.get(k) ?? "").trim() || null;
    update({
      q: text("q"),
      host: text("host"),
      user: text("user"),
      consumer: text("consumer"),
      from: fromLocalInput(data.get("from")),
      to: fromLocalInput(data.get("to")),
    });
  };

  const input = "rounded border border-slate-300 bg-white px-2 py-1 text-sm";
  return (
    // keyed by the URL so the fields show the URL's values after a chip, bar or group click
    <form
      key={key}
      onSubmit={submit}
      className="flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white p-3"
      role="search"
      aria-busy={pending}
    >
      <label className="flex flex-col text-xs text-slate-600">
        Search
        <input
          name="q"
          type="search"
          defaultValue={params.get("q") ?? ""}
          placeholder="host, user, consumer, command, reason"
          className={`${input} w-72`}
        />
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        Host
        <input name="host" defaultValue={params.get("host") ?? ""} className={`${input} w-36`} />
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        User
        <input name="user" defaultValue={params.get("user") ?? ""} className={`${input} w-28`} />
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        Consumer
        <input name="consumer" defaultValue={params.get("consumer") ?? ""} className={`${input} w-40`} />
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        From (UTC)
        <input name="from" type="datetime-local" defaultValue={toLocalInput(params.get("from"))} className={input} />
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        To (UTC)
        <input name="to" type="datetime-local" defaultValue={toLocalInput(params.get("to"))} className={input} />
      </label>
      <Button type="submit" variant="primary">
        Apply
      </Button>
      <label className="flex flex-col text-xs text-slate-600">
        Severity
        <select
          className={input}
          defaultValue={params.get("severity") ?? ""}
          onChange={(e) => update({ severity: e.target.value || null })}
        >
          <option value="">any</option>
          {["low", "medium", "high", "critical"].map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        Assignee
        <select
          className={input}
          defaultValue={params.get("assignee") ?? ""}
          onChange={(e) => update({ assignee: e.target.value || null })}
        >
          <option value="">anyone</option>
          <option value="me">me</option>
          <option value="unassigned">unassigned</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.label}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        Case
        <select
          className={input}
          defaultValue={params.get("case") ?? ""}
          onChange={(e) => update({ case: e.target.value || null })}
        >
          <option value="">any</option>
          <option value="none">in no case</option>
          {cases.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        Group by
        <select
          className={input}
          defaultValue={params.get("group") ?? ""}
          onChange={(e) => update({ group: e.target.value || null })}
        >
          <option value="">none</option>
          <option value="host">host</option>
          <option value="consumer">consumer name</option>
          <option value="user">user</option>
        </select>
      </label>
      {key && (
        <button
          type="button"
          className="ml-auto text-sm text-blue-700 hover:underline"
          onClick={() => update(Object.fromEntries([...params.keys()].map((k) => [k, null])))}
        >
          Clear all
        </button>
      )}
    </form>
  );
}
