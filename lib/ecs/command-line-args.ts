/**
 * Windows command-line splitting as the Sysmon ingest pipeline's "Implements Windows-like
 * SplitCommandLine" script does it (itself a port of Go's syscall.commandLineToArgv, using the
 * "prior to 2008" double-double-quote rule). Produces process.args. Pure; never executes anything.
 */
export function splitCommandLine(cmd: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < cmd.length) {
    const c = cmd[i];
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    let arg = "";
    let inQuote = false;
    let slashes = 0;
    for (; i < cmd.length; i++) {
      const ch = cmd[i];
      if ((ch === " " || ch === "\t") && !inQuote) break;
      if (ch === '"') {
        arg += "\\".repeat(Math.floor(slashes / 2));
        if (slashes % 2 === 0) {
          if (inQuote && i + 1 < cmd.length && cmd[i + 1] === '"') {
            arg += ch;
            i++;
          }
          inQuote = !inQuote;
        } else arg += ch;
        slashes = 0;
        continue;
      }
      if (ch === "\\") {
        slashes++;
        continue;
      }
      arg += "\\".repeat(slashes) + ch;
      slashes = 0;
    }
    arg += "\\".repeat(slashes);
    if (i < cmd.length) i++; // the separator the painless version consumes with the argument
    args.push(arg);
  }
  return args;
}
