/** Counts as the app writes them: `12,345`; with a noun, `1 alert` / `3 alerts`. Pure. */
export function formatCount(n: number, noun?: string, plural = `${noun}s`): string {
  const text = n.toLocaleString("en-US");
  return noun ? `${text} ${n === 1 ? noun : plural}` : text;
}
