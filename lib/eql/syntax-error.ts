/** A query that is not valid EQL; `line`/`column` are 1-based, `offset` 0-based into the source. */
export class EqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    readonly offset: number,
    /** the message without the position prefix */
    readonly reason: string,
  ) {
    super(message);
    this.name = "EqlSyntaxError";
  }

  static at(source: string, offset: number, reason: string): EqlSyntaxError {
    const before = source.slice(0, offset);
    const line = before.split("\n").length;
    const column = offset - (before.lastIndexOf("\n") + 1) + 1;
    return new EqlSyntaxError(`line ${line}, column ${column}: ${reason}`, line, column, offset, reason);
  }
}
