"use client";

import Link from "next/link";
import { useCallback, useRef, useState } from "react";
import { INPUT_FORMATS } from "@/lib/ingest/types";
import { RULE_DISABLED_NOTE } from "@/lib/rule/disabled-note";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";

interface Summary {
  jobId: string;
  status: "succeeded" | "failed";
  format: string | null;
  received: number;
  stored: number;
  duplicates: number;
  rejected: number;
  alerts: number;
  ruleDisabled: boolean;
  /** the rule run, in the worker: pending until the response's `detection` line */
  detection: "pending" | "succeeded" | "failed" | "disabled" | null;
  message: string | null;
  errors: { index: number; line?: number; offset?: number; reason: string }[];
}

interface FileState {
  key: string;
  name: string;
  size: number;
  sent: number;
  events: number;
  phase: "queued" | "uploading" | "done" | "error";
  summary?: Summary;
  error?: string;
}

const FORMATS = ["auto", ...INPUT_FORMATS];

function uploadFile(file: File, format: string, onUpdate: (patch: Partial<FileState>) => void): Promise<void> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    const params = new URLSearchParams({ filename: file.name, progress: "1" });
    if (format !== "auto") params.set("format", format);
    xhr.open("POST", `/api/ingest?${params}`);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    let seen = 0;
    let summary: Summary | undefined;
    const readLines = () => {
      const text = xhr.responseText;
      const complete = text.lastIndexOf("\n");
      if (complete < seen) return;
      for (const line of text.slice(seen, complete).split("\n")) {
        if (!line.trim()) continue;
        const message = JSON.parse(line);
        if (message.type === "progress") onUpdate({ events: message.received });
        else if (message.type === "summary") {
          summary = message as Summary;
          onUpdate({ phase: "done", summary, events: message.received, sent: file.size });
        } else if (message.type === "detection" && summary) {
          // the worker's rule run finished: its alerts (or why it failed)
          summary = {
            ...summary,
            detection: message.detection,
            alerts: message.alerts,
            ruleDisabled: message.ruleDisabled,
            ...(message.detection === "failed" ? { status: "failed" as const, message: message.message } : {}),
          };
          onUpdate({ summary });
        } else if (message.type === "error") onUpdate({ phase: "error", error: message.message });
      }
      seen = complete + 1;
    };
    xhr.upload.onprogress = (e) => onUpdate({ sent: e.loaded });
    xhr.onprogress = readLines;
    xhr.onload = () => {
      if (xhr.status >= 400) {
        let message = `HTTP ${xhr.status}`;
        try {
          message = JSON.parse(xhr.responseText).error.message;
        } catch {
          // not our JSON error shape (proxy, crash): keep the HTTP status
        }
        onUpdate({ phase: "error", error: message });
      } else readLines();
      resolve();
    };
    xhr.onerror = () => {
      onUpdate({
        phase: "error",
        error: "the upload was interrupted (network error); send the file again — nothing is stored twice",
      });
      resolve();
    };
    onUpdate({ phase: "uploading" });
    xhr.send(file);
  });
}

export function UploadPanel() {
  const [files, setFiles] = useState<FileState[]>([]);
  const [format, setFormat] = useState("auto");
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const start = useCallback(
    async (list: FileList | File[]) => {
      const picked = Array.from(list);
      const states = picked.map((f, i) => ({
        key: `${Date.now()}-${i}-${f.name}`,
        name: f.name,
        size: f.size,
        sent: 0,
        events: 0,
        phase: "queued" as const,
      }));
      setFiles((prev) => [...states, ...prev]);
      for (let i = 0; i < picked.length; i++) {
        const key = states[i].key;
        await uploadFile(picked[i], format, (patch) =>
          setFiles((prev) => prev.map((s) => (s.key === key ? { ...s, ...patch } : s))),
        );
      }
    },
    [format],
  );

  return (
    <div className="space-y-4">
      <div
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          if (e.dataTransfer.files.length) void start(e.dataTransfer.files);
        }}
        className={`flex flex-col items-center gap-3 rounded-lg border-2 border-dashed p-10 text-center ${dragging ? "border-blue-500 bg-blue-50" : "border-slate-300 bg-white"}`}
      >
        <p className="text-slate-700">
          Drop event files here: .evtx, Windows XML, NXLog JSON, ECS NDJSON/JSON, Elasticsearch exports, evtx→JSON —
          gzip too.
        </p>
        <div className="flex items-center gap-3">
          <Button type="button" onClick={() => input.current?.click()} variant="primary">
            Choose files…
          </Button>
          <label className="text-sm text-slate-600">
            Format{" "}
            <select
              value={format}
              onChange={(e) => setFormat(e.target.value)}
              className={inputClass}
              aria-label="Format"
            >
              {FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f === "auto" ? "detect automatically" : f}
                </option>
              ))}
            </select>
          </label>
        </div>
        <input
          ref={input}
          type="file"
          multiple
          className="hidden"
          data-testid="file-input"
          onChange={(e) => {
            if (e.target.files?.length) void start(e.target.files);
            e.target.value = "";
          }}
        />
      </div>

      <ul className="space-y-3">
        {files.map((f) => (
          <li key={f.key} className="rounded-lg border border-slate-200 bg-white p-4" data-testid="upload-item">
            <div className="flex justify-between text-sm">
              <span className="font-medium">{f.name}</span>
              <span className="text-slate-600">
                {(f.sent / 1024).toFixed(0)} / {(f.size / 1024).toFixed(0)} KiB · {f.events.toLocaleString("en-US")}{" "}
                events · {f.phase}
              </span>
            </div>
            <div
              className="mt-2 h-2 w-full rounded bg-slate-100"
              role="progressbar"
              aria-valuemin={0}
              aria-valuemax={f.size}
              aria-valuenow={f.sent}
            >
              <div
                className={`h-2 rounded ${f.phase === "error" ? "bg-red-500" : "bg-blue-600"}`}
                style={{ width: `${f.size ? Math.min(100, (f.sent / f.size) * 100) : 100}%` }}
              />
            </div>
            {f.error && <p className="mt-2 text-sm text-red-700">{f.error}</p>}
            {f.summary && <UploadSummary summary={f.summary} />}
          </li>
        ))}
      </ul>
    </div>
  );
}

function UploadSummary({ summary }: { summary: Summary }) {
  const pending = summary.detection === "pending";
  const cells: [string, number | string][] = [
    ["received", summary.received],
    ["stored", summary.stored],
    ["duplicates", summary.duplicates],
    ["rejected", summary.rejected],
    ["alerts created", pending ? "…" : summary.alerts],
  ];
  return (
    <div className="mt-3 space-y-2 text-sm" data-testid="upload-summary">
      <dl className="grid grid-cols-5 gap-2">
        {cells.map(([label, value]) => (
          <div key={label} className="rounded bg-slate-50 p-2">
            <dt className="text-xs text-slate-600">{label}</dt>
            <dd className="font-semibold" data-testid={`summary-${label.replace(" ", "-")}`}>
              {typeof value === "number" ? value.toLocaleString("en-US") : value}
            </dd>
          </div>
        ))}
      </dl>
      {summary.ruleDisabled && (
        <p
          className="rounded border border-amber-300 bg-amber-50 px-2 py-1 text-amber-900"
          data-testid="summary-rule-disabled"
        >
          {RULE_DISABLED_NOTE} ·{" "}
          <Link className="underline" href="/rule">
            rule page
          </Link>
        </p>
      )}
      <p
        className={summary.status === "succeeded" ? "text-slate-600" : "font-medium text-red-700"}
        data-testid="summary-status"
      >
        {summary.status === "failed" ? "Failed" : pending ? "Stored · rule run pending in the worker…" : "Done"}
        {summary.format ? ` · format ${summary.format}` : ""}
        {summary.message ? ` · ${summary.message}` : ""} ·{" "}
        <Link className="text-blue-700 underline" href={`/ingest/${summary.jobId}`}>
          job details
        </Link>
        {summary.alerts > 0 && (
          <>
            {" · "}
            <Link className="text-blue-700 underline" href={`/alerts?job=${summary.jobId}`}>
              see the {summary.alerts} alert{summary.alerts === 1 ? "" : "s"}
            </Link>
          </>
        )}
      </p>
      {summary.errors.length > 0 && (
        <details open className="rounded border border-amber-200 bg-amber-50 p-2">
          <summary className="cursor-pointer text-amber-900">First rejected records</summary>
          <ul className="mt-1 space-y-1">
            {summary.errors.slice(0, 20).map((e, i) => (
              <li key={i} className="literal text-xs text-amber-900">
                #{e.index}
                {e.line ? ` line ${e.line}` : ""}
                {e.offset !== undefined ? ` offset ${e.offset}` : ""}: {e.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
