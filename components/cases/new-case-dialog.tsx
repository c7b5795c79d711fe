"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { CASE_SEVERITIES } from "@/lib/cases/case-fields";
import { severityLabel } from "@/lib/format/labels";

export interface NewCaseFields {
  title: string;
  severity: (typeof CASE_SEVERITIES)[number];
  tags: string[];
  assigneeId: string | null;
}

/** "New case" from selected alerts: title, severity, tags and assignee, instead of the browser's prompt(). */
export function NewCaseDialog({
  count,
  users,
  pending,
  onCreate,
  onClose,
}: {
  count: number;
  /** who the case may be given to (a lead: everyone who triages; an analyst: themselves) */
  users: { id: string; name: string }[];
  pending: boolean;
  onCreate: (fields: NewCaseFields) => void;
  onClose: () => void;
}) {
  const [title, setTitle] = useState("");
  const [severity, setSeverity] = useState<NewCaseFields["severity"]>("medium");
  const [tags, setTags] = useState("");
  const [assigneeId, setAssigneeId] = useState("");
  return (
    <Dialog
      title={`New case from ${count} alert${count === 1 ? "" : "s"}`}
      onClose={onClose}
      as="form"
      onSubmit={() =>
        title.trim() &&
        onCreate({
          title: title.trim(),
          severity,
          tags: tags
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
          assigneeId: assigneeId || null,
        })
      }
    >
      <Field label="Title">
        <input
          className={inputClass}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          required
          maxLength={200}
          autoFocus
        />
      </Field>
      <Field label="Severity">
        <select
          className={inputClass}
          value={severity}
          onChange={(e) => setSeverity(e.target.value as NewCaseFields["severity"])}
        >
          {CASE_SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {severityLabel(s)}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Tags" hint="separated by commas">
        <input className={inputClass} value={tags} onChange={(e) => setTags(e.target.value)} />
      </Field>
      <Field label="Assignee">
        <select className={inputClass} value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)}>
          <option value="">No one yet</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      </Field>
      <div className="flex justify-end gap-2 pt-1">
        <Button type="button" variant="ghost" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" disabled={pending || !title.trim()}>
          Create case
        </Button>
      </div>
    </Dialog>
  );
}
