import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";

/**
 * "Hunt on this host": a query bar on the alert's host timeline. It opens /hunt with the query,
 * the host and the timeline's window filled in, and the alert to pin evidence to.
 */
export function HuntOnHost({
  alertId,
  hostName,
  at,
  windowMinutes,
}: {
  alertId: string;
  hostName: string | null;
  at: Date;
  windowMinutes: number;
}) {
  if (!hostName) return null;
  const iso = (ms: number) => new Date(ms).toISOString();
  return (
    <form action="/hunt" className="flex flex-wrap items-center gap-2 text-xs" aria-label="Hunt on this host">
      <input type="hidden" name="host" value={hostName} />
      <input type="hidden" name="from" value={iso(at.getTime() - windowMinutes * 60_000)} />
      <input type="hidden" name="to" value={iso(at.getTime() + windowMinutes * 60_000)} />
      <input type="hidden" name="alert" value={alertId} />
      <input
        name="q"
        aria-label="EQL query on this host"
        defaultValue="any where true"
        spellCheck={false}
        className={`w-72 font-mono ${inputClass}`}
      />
      <Button type="submit" size="sm">
        Hunt on this host
      </Button>
    </form>
  );
}
