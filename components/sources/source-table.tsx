import Link from "next/link";
import { PollNowButton } from "@/components/sources/source-actions";
import type { SourceView } from "@/lib/data/sources";
import { Time } from "@/components/ui/time";

const HEALTH: Record<string, string> = {
  healthy: "bg-green-100 text-green-800",
  unhealthy: "bg-red-100 text-red-800",
  unknown: "bg-slate-100 text-slate-700",
};

export function SourceTable({ sources }: { sources: SourceView[] }) {
  return (
    <table className="w-full rounded-lg border border-slate-200 bg-white text-sm">
      <thead className="bg-slate-100 text-left text-slate-600">
        <tr>
          {["Source", "Mode", "Health", "Last poll", "Last success", "Checkpoint", "Documents taken", ""].map((h) => (
            <th key={h} className="px-3 py-2 font-medium">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sources.map((s) => (
          <tr key={s.id} className="border-t border-slate-100 align-top" data-testid={`source-${s.name}`}>
            <td className="px-3 py-2">
              <Link href={`/admin/sources/${s.id}`} className="font-medium text-blue-700 hover:underline">
                {s.name}
              </Link>
              <div className="literal text-xs text-slate-600">{s.url}</div>
              <div className="text-xs text-slate-600">
                {s.authType === "none"
                  ? "no auth"
                  : `${s.authType === "basic" ? `basic (${s.username})` : "API key"} ${s.secretSet ? "••• set" : "not set"}`}
                {!s.enabled && <span className="ml-2 rounded bg-slate-200 px-1">disabled</span>}
              </div>
            </td>
            <td className="px-3 py-2">
              {s.mode === "eql" ? "EQL push-down" : "poll"} / {s.pollIntervalSec}s
            </td>
            <td className="px-3 py-2">
              <span
                data-testid="source-health"
                className={`rounded px-1.5 py-0.5 text-xs ${HEALTH[s.health] ?? HEALTH.unknown}`}
              >
                {s.health}
              </span>
              {s.lastError && (
                <div data-testid="source-error" className="literal mt-1 max-w-xs text-xs text-red-700">
                  {s.lastError}
                </div>
              )}
            </td>
            <td className="px-3 py-2">
              <Time value={s.lastPolledAt} relative />
            </td>
            <td className="px-3 py-2">
              <Time value={s.lastSuccessAt} />
            </td>
            <td className="px-3 py-2" data-testid="source-checkpoint">
              <Time value={s.checkpoint} />
            </td>
            <td className="px-3 py-2 tabular-nums" data-testid="source-taken">
              {s.documentsTaken.toLocaleString("en-US")}
            </td>
            <td className="px-3 py-2">
              <PollNowButton id={s.id} name={s.name} />
            </td>
          </tr>
        ))}
        {sources.length === 0 && (
          <tr>
            <td colSpan={8} className="px-3 py-6 text-center text-slate-600">
              No sources yet: add a cluster below.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
