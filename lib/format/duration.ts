/** Lengths of time as the app writes them. Pure. */

/** A span measured in people's time (MTTA, MTTR, time per step): `45 s`, `12.5 min`, `3.2 h`, `4.1 d`. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  const min = ms / 60000;
  if (min < 1) return `${Math.round(ms / 1000)} s`;
  if (min < 120) return `${min.toFixed(1)} min`;
  const h = min / 60;
  return h < 72 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} d`;
}

/** How long a machine task took (a run, a hunt): `850 ms`, `4.2 s`, `3 min 12 s`; null while it runs. */
export function formatElapsed(ms: number | null): string {
  if (ms === null) return "running";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
