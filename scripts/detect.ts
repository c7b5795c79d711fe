/**
 * Offline scan: runs the current rule over event files with no database or server
 * (like Hayabusa/Chainsaw). `npm run --silent detect -- --json FILE...`
 */
import { parseArgs } from "node:util";
import { compileMatcher, evaluateQuery, type EvalResult } from "@/lib/eql/evaluate";
import { getFieldValues } from "@/lib/eql/fields";
import { ruleQuery } from "@/lib/rule/query";
import { readEventFile } from "@/lib/ingest/read-file";
import { INPUT_FORMATS, isInputFormat, UnreadableInputError } from "@/lib/ingest/types";
import { CURRENT_RULE } from "@/lib/rule/rules";

const USAGE = `Usage: npm run detect -- [--json] [--format <fmt>] FILE...

Runs "${CURRENT_RULE.name}" (v${CURRENT_RULE.version}) over event files offline.
  --json           print one JSON object {"scanned": N, "matches": [...]} on stdout
  --format <fmt>   skip format detection: ${INPUT_FORMATS.join(", ")}
  --help           show this help
Exit status: 0 when every file was read (matches or not), 2 when a file could not be read, 64 on bad usage.`;

interface Match {
  file: string;
  index: number;
  branch: string | null;
  explanation: { branchIndex: number | null; trace: EvalResult["trace"] };
  document: Record<string, unknown>;
}

const first = (doc: Record<string, unknown>, ...paths: string[]): string => {
  for (const p of paths) {
    const v = getFieldValues(doc, p)[0];
    if (v !== undefined && typeof v !== "object") return String(v);
  }
  return "-";
};

function printTable(matches: Match[]): void {
  const rows = matches.map((m) => [
    first(m.document, "@timestamp", "event.created"),
    first(m.document, "host.name", "host.hostname", "winlog.computer_name"),
    first(m.document, "user.name", "winlog.event_data.User", "winlog.user.name"),
    m.explanation.branchIndex === null ? "-" : `#${m.explanation.branchIndex}`,
    first(m.document, "winlog.event_data.Consumer", "process.Ext.api.parameters.consumer_type", "process.command_line")
      .replace(/\s+/g, " ")
      .slice(0, 100),
    `${m.file}#${m.index}`,
  ]);
  const header = ["time", "host", "user", "branch", "consumer/command", "event"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  process.stdout.write(`${line(header)}\n${line(widths.map((w) => "-".repeat(w)))}\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { json: { type: "boolean" }, format: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (e) {
    process.stderr.write(`detect: ${(e as Error).message}\n${USAGE}\n`);
    return 64;
  }
  const { values, positionals: files } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { format } = values;
  if (format !== undefined && !isInputFormat(format)) {
    process.stderr.write(`detect: unknown --format '${format}' (one of ${INPUT_FORMATS.join(", ")})\n`);
    return 64;
  }
  if (files.length === 0) {
    process.stderr.write(`detect: no input file given\n${USAGE}\n`);
    return 64;
  }

  const query = ruleQuery(CURRENT_RULE);
  const matcher = compileMatcher(query);
  const matches: Match[] = [];
  let scanned = 0;
  let rejected = 0;
  let unreadable = 0;

  for (const file of files) {
    try {
      for await (const record of readEventFile(file, { format, numbersAsWritten: true })) {
        if (!record.ok) {
          rejected++;
          process.stderr.write(`detect: ${file}: rejected record ${record.position.index}: ${record.reason}\n`);
          continue;
        }
        scanned++;
        if (!matcher(record.document)) continue;
        // the explanation is computed for matches only, keeping the scan on the fast path
        const result = evaluateQuery(query, record.document);
        matches.push({
          file,
          index: record.position.index,
          branch: result.branch?.text ?? null,
          explanation: { branchIndex: result.branch?.index ?? null, trace: result.trace },
          document: record.document,
        });
      }
    } catch (e) {
      unreadable++;
      const reason = e instanceof UnreadableInputError || e instanceof Error ? e.message : String(e);
      process.stderr.write(`detect: cannot read '${file}': ${reason}\n`);
    }
  }

  if (values.json) {
    const out = {
      scanned,
      matches: matches.map(({ file, index, branch, explanation }) => ({ file, index, branch, explanation })),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    if (matches.length > 0) printTable(matches);
    process.stdout.write(
      `${matches.length} match(es) of "${CURRENT_RULE.name}" v${CURRENT_RULE.version} in ${scanned} event(s) from ${files.length - unreadable} file(s)` +
        `${rejected ? `, ${rejected} record(s) rejected` : ""}${unreadable ? `, ${unreadable} file(s) unreadable` : ""}\n`,
    );
  }
  return unreadable > 0 ? 2 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`detect: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
