import Link from "next/link";
import { formatUtc } from "@/components/rule/format";
import { Pager } from "@/components/rule/run-history";
import { TruncatedText } from "@/components/ui/truncated-text";
import type { BlindSpotList, BlindSpotSubscription, FailedPredicate } from "@/lib/data/blind-spots";

type Filters = { reason?: string; host?: string };

export function blindSpotsHref(filters: Filters & { page?: number }): string {
  const params = new URLSearchParams();
  if (filters.reason) params.set("reason", filters.reason);
  if (filters.host) params.set("host", filters.host);
  if (filters.page && filters.page > 1) params.set("page", String(filters.page));
  const query = params.toString();
  return query ? `/rule/blind-spots?${query}` : "/rule/blind-spots";
}

/** The failed predicates: the rule's text, and what the event had (event values are literal text). */
export function FailedPredicates({ failures }: { failures: FailedPredicate[] }) {
  if (failures.length === 0) return <span className="text-amber-800">matches the rule</span>;
  return (
    <ul className="space-y-1">
      {failures.map((f, i) => (
        <li key={i}>
          <code className="font-mono text-xs text-sky-800">
            {f.negated ? "not " : ""}
            {f.expected}
          </code>
          <div className="text-xs text-slate-600">
            seen:{" "}
            {f.seen.length === 0 ? (
              <em>no value</em>
            ) : (
              <TruncatedText value={f.seen.join(", ")} max={CUT} wrap label="value seen" className="text-slate-900" />
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}

export function BlindSpotGroups({ list, filters }: { list: BlindSpotList; filters: Filters }) {
  return (
    <ul className="space-y-1" aria-label="Failure reasons">
      <li>
        <Link
          href={blindSpotsHref({ host: filters.host })}
          className={`text-sm ${filters.reason ? "text-blue-700 hover:underline" : "font-medium"}`}
        >
          All reasons ({list.evaluated})
        </Link>
      </li>
      {list.groups.map((g) => (
        <li key={g.reason} data-testid="blind-spot-group" className="flex items-start gap-2 text-sm">
          <span className="min-w-10 rounded bg-slate-100 px-1.5 text-right font-medium tabular-nums">{g.count}</span>
          <Link
            href={blindSpotsHref({ host: filters.host, reason: g.reason })}
            className={filters.reason === g.reason ? "font-medium" : "text-blue-700 hover:underline"}
            aria-current={filters.reason === g.reason ? "true" : undefined}
          >
            {g.reason}
          </Link>
        </li>
      ))}
    </ul>
  );
}

const HEADERS = ["Time (UTC)", "Event", "Subject", "Failed predicates (closest branch)", ""];

/** Scripts, commands and references are attacker text of any length: cut, whole on demand. */
const CUT = 160;

function EventRows({ sub, filters }: { sub: BlindSpotSubscription; filters: Filters }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" aria-label={`Events of ${subscriptionName(sub)}`}>
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            {HEADERS.map((h, i) => (
              <th key={i} className="px-3 py-1.5 font-medium whitespace-nowrap">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sub.events.map((r) => (
            <tr key={r.eventId} data-testid="blind-spot-row" className="border-t border-slate-100 align-top">
              <td className="px-3 py-2 whitespace-nowrap">{formatUtc(r.timestamp)}</td>
              <td className="px-3 py-2 whitespace-nowrap">
                {r.eventCode ?? "—"}
                {r.names.part && <span className="text-xs text-slate-600"> {r.names.part}</span>}
                {r.operation && <div className="text-xs text-slate-600">{r.operation}</div>}
                <div className="text-xs text-slate-600">{r.dataset}</div>
              </td>
              <td className="max-w-xs px-3 py-2">
                <TruncatedText value={r.subject} max={CUT} wrap label="subject" />
              </td>
              <td className="max-w-lg px-3 py-2">
                <FailedPredicates failures={r.failures} />
              </td>
              <td className="px-3 py-2 whitespace-nowrap">
                <Link href={`/rule/blind-spots/events/${r.eventId}`} className="text-blue-700 hover:underline">
                  Event
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {filters.reason && (
        <p className="px-3 py-1 text-xs text-slate-600">Only the events with the chosen reason are listed.</p>
      )}
    </div>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-slate-600">{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

const cut = (text: string, max: number) => {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join("")}…` : text;
};

function subscriptionName(sub: BlindSpotSubscription): string {
  if (sub.consumer === null && sub.filter === null) return "WMI activity without subscription names";
  return `consumer ${sub.consumer ?? "(none seen)"} ← filter ${sub.filter ?? "(none seen)"}`;
}

/** One subscription: host, consumer ← filter, what it runs, its missed events inside. */
function SubscriptionGroup({ sub, filters, open }: { sub: BlindSpotSubscription; filters: Filters; open: boolean }) {
  const covered = sub.alertIds.length > 0;
  return (
    <details
      open={open}
      data-testid="blind-spot-subscription"
      data-covered={covered ? "true" : "false"}
      className="rounded-lg border border-slate-200 bg-white"
    >
      <summary className="cursor-pointer px-3 py-2">
        <span
          className={`mr-2 rounded px-1.5 text-xs font-medium ${covered ? "bg-green-100 text-green-800" : "bg-amber-100 text-amber-900"}`}
        >
          {covered ? "covered" : "gap"}
        </span>
        <span className="literal">{sub.host ?? "no host"}</span>
        <span className="text-slate-600"> · </span>
        <span className="literal" data-testid="subscription-names">
          {cut(subscriptionName(sub), 120)}
        </span>
        <span className="text-slate-600">
          {" "}
          · {sub.events.length} event{sub.events.length === 1 ? "" : "s"} without an alert
          {covered && ` · binding alerted ${sub.alertIds.length}×`}
        </span>
      </summary>
      <div className="space-y-2 border-t border-slate-100 pb-2">
        <dl className="grid grid-cols-[6rem_minmax(0,1fr)] gap-x-2 gap-y-1 px-3 pt-2 text-sm">
          <dt className="text-slate-600">Host</dt>
          <dd>
            {sub.host ? (
              <Link
                href={blindSpotsHref({ host: sub.host, reason: filters.reason })}
                className="literal text-blue-700 hover:underline"
              >
                {sub.host}
              </Link>
            ) : (
              "—"
            )}
          </dd>
          <dt className="text-slate-600">Consumer</dt>
          <dd>
            <TruncatedText value={sub.consumer} max={CUT} wrap label="consumer name" />
            {sub.consumerClass && <span className="text-xs text-slate-600"> ({sub.consumerClass})</span>}
          </dd>
          <dt className="text-slate-600">Filter</dt>
          <dd>
            <TruncatedText value={sub.filter} max={CUT} wrap label="filter name" />
          </dd>
          {covered && (
            <>
              <dt className="text-slate-600">Alerted</dt>
              <dd>
                {sub.alertIds.slice(0, 5).map((id, i) => (
                  <span key={id}>
                    {i > 0 && ", "}
                    <Link href={`/alerts/${id}`} className="text-blue-700 hover:underline">
                      alert {i + 1}
                    </Link>
                  </span>
                ))}
                {sub.alertIds.length > 5 && ` and ${sub.alertIds.length - 5} more`}
              </dd>
            </>
          )}
          {sub.command && (
            <Field label="Runs">
              <TruncatedText value={sub.command} max={CUT} wrap label="consumer's command or script" />
            </Field>
          )}
          {sub.query && (
            <Field label="Trigger">
              <TruncatedText value={sub.query} max={CUT} wrap label="filter's query" />
            </Field>
          )}
        </dl>
        <ul className="px-3 text-xs text-slate-600" aria-label="Why the rule did not alert">
          {sub.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
        <EventRows sub={sub} filters={filters} />
      </div>
    </details>
  );
}

export function BlindSpotsTable({ list, filters }: { list: BlindSpotList; filters: Filters }) {
  return (
    <div className="space-y-4">
      <section className="space-y-2" aria-labelledby="blind-spot-gaps">
        <h2 id="blind-spot-gaps" className="font-medium">
          Gaps: {list.total} subscription{list.total === 1 ? "" : "s"} the rule never alerted on
        </h2>
        {list.subscriptions.map((sub) => (
          <SubscriptionGroup key={sub.key} sub={sub} filters={filters} open />
        ))}
        {list.subscriptions.length === 0 && (
          <p className="rounded-lg border border-slate-200 bg-white px-3 py-6 text-center text-slate-600">
            No WMI subscription activity without an alert
            {filters.host || filters.reason ? " for these filters" : ""}
            {list.coveredTotal > 0 ? " outside covered subscriptions" : ""}.
          </p>
        )}
        <Pager
          page={list.page}
          pageCount={list.pageCount}
          total={list.total}
          noun="subscriptions"
          href={(page) => blindSpotsHref({ ...filters, page })}
        />
      </section>
      {list.coveredTotal > 0 && (
        <details data-testid="covered-subscriptions" className="rounded-lg border border-slate-200 bg-slate-50 p-3">
          <summary className="cursor-pointer font-medium">
            Covered: {list.coveredTotal} subscription{list.coveredTotal === 1 ? "" : "s"} whose binding alerted (their
            filter, consumer and other events without an alert)
          </summary>
          <div className="mt-2 space-y-2">
            {list.covered.map((sub) => (
              <SubscriptionGroup key={sub.key} sub={sub} filters={filters} open={false} />
            ))}
            {list.coveredTotal > list.covered.length && (
              <p className="text-sm text-slate-600">
                {list.coveredTotal - list.covered.length} more covered subscriptions not listed.
              </p>
            )}
          </div>
        </details>
      )}
    </div>
  );
}
