/** What the lead reads after "Close matching open alerts": every matched alert is accounted for. */
export function describeClosedByException(closed: { matched: number; updated: number; conflicts: number }): string {
  if (closed.matched === 0) return "No open or acknowledged alerts match this exception: nothing to close.";
  const rest = closed.matched - closed.updated - closed.conflicts;
  return [
    `Closed ${closed.updated} of ${closed.matched} matching open alerts as benign positive.`,
    closed.conflicts ? `${closed.conflicts} were changed by someone else meanwhile and stay open; run it again.` : "",
    rest > 0 ? `${rest} were closed by someone else meanwhile.` : "",
  ]
    .filter(Boolean)
    .join(" ");
}
