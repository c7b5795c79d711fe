import type { RecordPosition } from "@/lib/ingest/types";

/** A record that cannot be turned into a document; `message` names the field at fault. */
export class RecordFieldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RecordFieldError";
  }
}

/** "line 12", "offset 4096", "record 3": how a rejection names where the record is. */
export function describePosition(position: RecordPosition): string {
  if (position.line !== undefined) return `line ${position.line}`;
  if (position.chunk !== undefined) return `chunk ${position.chunk} offset ${position.offset ?? "?"}`;
  if (position.offset !== undefined) return `offset ${position.offset}`;
  return `record ${position.index}`;
}
