"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import {
  addGuideTipAction,
  assignScenarioAction,
  createScenarioFromPackAction,
  createScenarioFromUploadAction,
  deleteGuideTipAction,
  installShippedPacksAction,
} from "@/lib/actions/training-actions";
import type { PackInstallStatus } from "@/lib/data/training-packs";
import { TRAINING_VERDICTS, VERDICT_LABELS } from "@/lib/training/scenario";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";

function Message({ text, error }: { text: string | null; error?: boolean }) {
  if (!text) return null;
  return (
    <p role={error ? "alert" : "status"} className={`text-sm ${error ? "text-red-700" : "text-green-800"}`}>
      {text}
    </p>
  );
}

export function InstallPacksButton() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [results, setResults] = useState<PackInstallStatus[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="space-y-2">
      <Button
        type="submit"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const r = await installShippedPacksAction();
            if (r.ok) {
              setResults(r.results);
              setError(null);
              router.refresh();
            } else setError(r.error.message);
          })
        }
        variant="primary"
      >
        {pending ? "Installing…" : "Install shipped packs"}
      </Button>
      <Message text={error} error />
      {results && (
        <ul className="text-sm" data-testid="pack-install-results">
          {results.map((r) => (
            <li
              key={r.packId}
              className={r.status === "missing" || r.status === "failed" ? "text-red-700" : "text-slate-700"}
            >
              {r.title}: {r.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function NewScenarioForm({ packs }: { packs: { packId: string; title: string; available: boolean }[] }) {
  const router = useRouter();
  const [mode, setMode] = useState<"pack" | "upload">("pack");
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [packId, setPackId] = useState(packs[0]?.packId ?? "");
  const [title, setTitle] = useState("");
  return (
    <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h3 className="font-semibold">New scenario</h3>
      <div className="flex gap-2 text-sm">
        {(["pack", "upload"] as const).map((m) => (
          <button
            key={m}
            type="button"
            onClick={() => setMode(m)}
            className={`rounded px-2 py-1 ${mode === m ? "bg-slate-900 text-white" : "ring-1 ring-slate-200"}`}
          >
            {m === "pack" ? "From a shipped pack" : "From an event file"}
          </button>
        ))}
      </div>
      {mode === "pack" ? (
        <form
          className="space-y-2 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            start(async () => {
              const r = await createScenarioFromPackAction({ packId, title: title || undefined });
              if (r.ok) {
                setMessage({ text: "Scenario created.", error: false });
                setTitle("");
                router.refresh();
              } else setMessage({ text: r.error.message, error: true });
            });
          }}
        >
          <label className="block">
            Pack
            <select
              aria-label="Pack"
              value={packId}
              onChange={(e) => setPackId(e.target.value)}
              className={`ml-2 ${inputClass}`}
            >
              {packs.map((p) => (
                <option key={p.packId} value={p.packId} disabled={!p.available}>
                  {p.title}
                  {p.available ? "" : " (dataset missing)"}
                </option>
              ))}
            </select>
          </label>
          <label className="block">
            Title
            <input
              aria-label="Scenario title"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              placeholder="(the pack's title)"
              className={`ml-2 w-96 ${inputClass}`}
            />
          </label>
          <Button type="submit" disabled={pending} variant="primary">
            Create scenario
          </Button>
        </form>
      ) : (
        <form
          className="space-y-2 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            const target = e.currentTarget;
            start(async () => {
              const r = await createScenarioFromUploadAction(form);
              if (r.ok) {
                setMessage({
                  text: `Scenario created: ${r.events} events (${r.rejected} rejected), ${r.matches} matching the rule. Add questions on its page.`,
                  error: false,
                });
                target.reset();
                router.refresh();
              } else setMessage({ text: r.error.message, error: true });
            });
          }}
        >
          <label className="block">
            Title <input name="title" required className={`ml-2 w-96 ${inputClass}`} />
          </label>
          <label className="block">
            Description <input name="description" className={`ml-2 w-96 ${inputClass}`} />
          </label>
          <label className="block">
            Source (dataset, file, licence) <input name="sourceNote" className={`ml-2 w-96 ${inputClass}`} />
          </label>
          <label className="block">
            Expected verdict
            <select name="expectedVerdict" className={`ml-2 ${inputClass}`}>
              {TRAINING_VERDICTS.map((v) => (
                <option key={v} value={v}>
                  {VERDICT_LABELS[v]}
                </option>
              ))}
            </select>
          </label>
          <label className="block">
            Event file (EVTX, Windows XML, NXLog, ECS JSON; up to 1 MB){" "}
            <input name="file" type="file" required className="ml-2" />
          </label>
          <Button type="submit" disabled={pending} variant="primary">
            Upload and create
          </Button>
        </form>
      )}
      {message && <Message text={message.text} error={message.error} />}
    </div>
  );
}

export function AssignForm({
  scenarios,
  trainees,
}: {
  scenarios: { id: string; title: string }[];
  trainees: { id: string; name: string; role: string }[];
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [scenarioId, setScenarioId] = useState(scenarios[0]?.id ?? "");
  const [picked, setPicked] = useState<string[]>([]);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  return (
    <form
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        start(async () => {
          const r = await assignScenarioAction({ scenarioId, traineeIds: picked });
          if (r.ok) {
            setMessage({ text: `Assigned to ${r.count} trainee${r.count === 1 ? "" : "s"}.`, error: false });
            setPicked([]);
            router.refresh();
          } else setMessage({ text: r.error.message, error: true });
        });
      }}
    >
      <h3 className="font-semibold">Assign a scenario</h3>
      <label className="block">
        Scenario
        <select
          aria-label="Scenario to assign"
          value={scenarioId}
          onChange={(e) => setScenarioId(e.target.value)}
          className={`ml-2 ${inputClass}`}
        >
          {scenarios.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="flex flex-wrap gap-3">
        <legend className="mb-1">Trainees</legend>
        {trainees.map((t) => (
          <label key={t.id} className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={picked.includes(t.id)}
              onChange={(e) => setPicked((p) => (e.target.checked ? [...p, t.id] : p.filter((x) => x !== t.id)))}
            />
            {t.name} <span className="text-slate-600">({t.role})</span>
          </label>
        ))}
      </fieldset>
      <Button type="submit" disabled={pending || !scenarioId || picked.length === 0} variant="primary">
        Assign
      </Button>
      {message && <Message text={message.text} error={message.error} />}
    </form>
  );
}

export function GuideTipForm({ steps }: { steps: { id: string; label: string }[] }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [stepId, setStepId] = useState(steps[0]?.id ?? "");
  const [text, setText] = useState("");
  const [visibleToAll, setVisibleToAll] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  return (
    <form
      className="space-y-2 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        start(async () => {
          const r = await addGuideTipAction({ stepId, text, visibleToAll });
          if (r.ok) {
            setText("");
            setMessage({ text: "Tip saved.", error: false });
            router.refresh();
          } else setMessage({ text: r.error.message, error: true });
        });
      }}
    >
      <label className="block">
        Guide step
        <select
          aria-label="Guide step"
          value={stepId}
          onChange={(e) => setStepId(e.target.value)}
          className={`ml-2 ${inputClass}`}
        >
          {steps.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <textarea
        aria-label="Tip"
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={3}
        className={`w-full ${inputClass}`}
        placeholder="What to look at, and why"
      />
      <label className="flex items-center gap-2">
        <input type="checkbox" checked={visibleToAll} onChange={(e) => setVisibleToAll(e.target.checked)} /> Show to
        every analyst on the live alert page
      </label>
      <Button type="submit" disabled={pending || !text.trim()} variant="primary">
        Add tip
      </Button>
      {message && <Message text={message.text} error={message.error} />}
    </form>
  );
}

export function DeleteTipButton({ tipId }: { tipId: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <button
      disabled={pending}
      onClick={() =>
        start(async () => {
          const r = await deleteGuideTipAction(tipId);
          if (r.ok) router.refresh();
          else alert(r.error.message);
        })
      }
      className="text-xs text-red-700 hover:underline"
    >
      delete
    </button>
  );
}
