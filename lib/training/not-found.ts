/** Pages turn a data function's "not_found" into Next's notFound(); anything else propagates. */
export function isNotFound(error: unknown): boolean {
  return (error as { code?: unknown })?.code === "not_found";
}
