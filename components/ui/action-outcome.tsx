/** What a server action answered: its message as a status, or its error as an alert. */
export function ActionOutcome({
  result,
}: {
  result: { ok: true; message: string } | { ok: false; error: { message: string } } | null;
}) {
  if (!result) return null;
  return result.ok ? (
    <p role="status" className="text-sm text-green-700">
      {result.message}
    </p>
  ) : (
    <p role="alert" className="text-sm text-red-700">
      {result.error.message}
    </p>
  );
}
