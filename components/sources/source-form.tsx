"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createSourceAction, testSourceConnectionAction, updateSourceAction } from "@/lib/actions/source-actions";
import { splitIndexPatterns, type SourceFormValues } from "@/lib/sources/source-input";
import { Button } from "@/components/ui/button";

/** What the form is loaded with: never the secret itself, only whether one is stored. */
export interface SourceFormSource {
  id: string;
  version: string;
  name: string;
  url: string;
  authType: "none" | "api_key" | "basic";
  username: string | null;
  secretSet: boolean;
  caCert: string | null;
  tlsVerify: boolean;
  indexPatterns: string[];
  mode: "poll" | "eql";
  enabled: boolean;
  pollIntervalSec: number;
}

const input = "mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-sm";

function readForm(form: HTMLFormElement): SourceFormValues {
  const data = new FormData(form);
  const text = (k: string) => String(data.get(k) ?? "");
  return {
    name: text("name"),
    url: text("url"),
    authType: text("authType") as SourceFormValues["authType"],
    username: text("username"),
    secret: text("secret"),
    caCert: text("caCert"),
    tlsVerify: data.get("tlsVerify") === "on",
    indexPatterns: splitIndexPatterns(text("indexPatterns")),
    mode: text("mode") as SourceFormValues["mode"],
    enabled: data.get("enabled") === "on",
    pollIntervalSec: Number(text("pollIntervalSec")),
  };
}

export function SourceForm({
  source,
  defaultIndexPatterns,
}: {
  source?: SourceFormSource;
  defaultIndexPatterns: string[];
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [authType, setAuthType] = useState(source?.authType ?? "api_key");
  const [version, setVersion] = useState(source?.version ?? "");
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [test, setTest] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  const save = (form: HTMLFormElement) =>
    start(async () => {
      const values = readForm(form);
      const r = source ? await updateSourceAction(source.id, version, values) : await createSourceAction(values);
      if (!r.ok) return setMessage({ kind: "error", text: r.error.message });
      setMessage({ kind: "ok", text: r.message });
      setVersion(r.updatedAt);
      if (!source) {
        form.reset();
        setAuthType("api_key");
      }
      router.refresh();
    });

  const runTest = (form: HTMLFormElement) =>
    start(async () => {
      setTest(null);
      const r = await testSourceConnectionAction(source?.id ?? null, readForm(form));
      if (!r.ok) return setTest({ kind: "error", text: r.error.message });
      setTest(
        r.result.ok
          ? {
              kind: "ok",
              text: `Connected: ${r.result.distribution === "opensearch" ? "OpenSearch" : "Elasticsearch"} ${r.result.version}, cluster “${r.result.clusterName}”`,
            }
          : { kind: "error", text: `Connection failed: ${r.result.error}` },
      );
    });

  const secretLabel = authType === "basic" ? "Password" : "API key (base64 id:key, or the encoded key)";
  return (
    <form
      aria-label={source ? `Edit source ${source.name}` : "New source"}
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2"
      onSubmit={(e) => {
        e.preventDefault();
        save(e.currentTarget);
      }}
    >
      <label className="text-sm">
        Name
        <input name="name" required maxLength={100} defaultValue={source?.name} className={input} />
      </label>
      <label className="text-sm">
        Cluster URL
        <input
          name="url"
          required
          placeholder="https://es.example.org:9200"
          defaultValue={source?.url}
          className={input}
        />
      </label>
      <label className="text-sm">
        Authentication
        <select
          name="authType"
          value={authType}
          onChange={(e) => setAuthType(e.target.value as SourceFormSource["authType"])}
          className={input}
        >
          <option value="api_key">API key</option>
          <option value="basic">Username and password</option>
          <option value="none">None</option>
        </select>
      </label>
      {authType === "basic" ? (
        <label className="text-sm">
          Username
          <input name="username" defaultValue={source?.username ?? ""} autoComplete="off" className={input} />
        </label>
      ) : (
        <div />
      )}
      {authType !== "none" && (
        <label className="text-sm md:col-span-2">
          {secretLabel}
          <input
            name="secret"
            type="password"
            autoComplete="new-password"
            placeholder={source?.secretSet && source.authType === authType ? "••• set — leave empty to keep it" : ""}
            className={input}
          />
        </label>
      )}
      <label className="text-sm md:col-span-2">
        Index patterns (comma or space separated)
        <input
          name="indexPatterns"
          required
          defaultValue={(source?.indexPatterns ?? defaultIndexPatterns).join(", ")}
          className={`${input} font-mono`}
        />
      </label>
      <label className="text-sm md:col-span-2">
        CA certificate (PEM, optional)
        <textarea
          name="caCert"
          rows={3}
          defaultValue={source?.caCert ?? ""}
          placeholder="-----BEGIN CERTIFICATE-----"
          className={`${input} font-mono text-xs`}
        />
      </label>
      <label className="text-sm">
        Mode
        <select name="mode" defaultValue={source?.mode ?? "poll"} className={input}>
          <option value="poll">Poll: take every new document of the indices</option>
          <option value="eql">EQL push-down: take the rule&apos;s matches ±15 min of context</option>
        </select>
      </label>
      <label className="text-sm">
        Poll interval (seconds)
        <input
          name="pollIntervalSec"
          type="number"
          min={60}
          max={86400}
          required
          defaultValue={source?.pollIntervalSec ?? 60}
          className={input}
        />
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input name="tlsVerify" type="checkbox" defaultChecked={source?.tlsVerify ?? true} /> Verify the TLS certificate
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input name="enabled" type="checkbox" defaultChecked={source?.enabled ?? true} /> Enabled (polled on schedule)
      </label>
      <div className="flex flex-wrap items-center gap-3 md:col-span-2">
        <Button type="submit" disabled={pending} variant="primary">
          {source ? "Save source" : "Add source"}
        </Button>
        <Button type="button" disabled={pending} onClick={(e) => runTest(e.currentTarget.form!)}>
          Test connection
        </Button>
        {message && (
          <span
            role={message.kind === "error" ? "alert" : "status"}
            className={`text-sm ${message.kind === "error" ? "text-red-700" : "text-green-700"}`}
          >
            {message.text}
          </span>
        )}
      </div>
      {test && (
        <p
          data-testid="connection-test"
          role="status"
          className={`literal text-sm md:col-span-2 ${test.kind === "error" ? "text-red-700" : "text-green-700"}`}
        >
          {test.text}
        </p>
      )}
    </form>
  );
}
