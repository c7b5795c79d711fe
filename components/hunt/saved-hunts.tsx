import Link from "next/link";
import type { HuntUrlState } from "@/components/hunt/hunt-results";
import { DeleteSavedHunt } from "@/components/hunt/delete-saved-hunt";
import type { SavedHuntRow } from "@/lib/data/hunts";

/** The hunter's saved queries and everyone's shared ones; a name loads the query into the bar. */
export function SavedHunts({ saved, state }: { saved: SavedHuntRow[]; state: HuntUrlState }) {
  if (saved.length === 0) return null;
  const load = (q: string) => {
    const params = new URLSearchParams({ q, from: state.from, to: state.to });
    if (state.host) params.set("host", state.host);
    if (state.alert) params.set("alert", state.alert);
    return `/hunt?${params.toString()}`;
  };
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" aria-label="Saved queries">
      <h2 className="mb-2 text-sm font-medium">Saved queries</h2>
      <ul className="space-y-1 text-sm">
        {saved.map((s) => (
          <li key={s.id} className="flex flex-wrap items-center gap-2">
            <Link href={load(s.query)} className="text-blue-700 hover:underline">
              {s.name}
            </Link>
            <span className="text-xs text-slate-600">
              {s.mine ? (s.shared ? "yours, shared" : "yours, private") : `shared by ${s.ownerName ?? "someone"}`}
            </span>
            <code className="literal max-w-xl truncate text-xs text-slate-600">{s.query}</code>
            {s.mine && <DeleteSavedHunt id={s.id} name={s.name} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
