import { tokenize, type Token } from "@/lib/eql/lexer";

/**
 * The rule's EQL with syntax highlighting, built from the engine's own lexer: every token is a
 * React text span (never an HTML string), the text between tokens (spaces, comments) is kept as is.
 */
type Kind = "keyword" | "field" | "function" | "string" | "number" | "operator";

const STYLE: Record<Kind, string> = {
  keyword: "font-semibold text-purple-700",
  field: "text-sky-800",
  function: "text-amber-700",
  string: "text-emerald-700",
  number: "text-orange-700",
  operator: "text-slate-600",
};

function kindOf(token: Token, next: Token | undefined): Kind {
  switch (token.type) {
    case "keyword":
      return "keyword";
    case "string":
      return "string";
    case "integer":
    case "decimal":
      return "number";
    case "op":
      return "operator";
    case "tilde-ident":
      return "function";
    default:
      return next?.type === "op" && next.value === "(" ? "function" : "field";
  }
}

export function EqlQuery({ query }: { query: string }) {
  let tokens: Token[];
  try {
    tokens = tokenize(query).filter((t) => t.type !== "eof");
  } catch {
    return <pre className="literal rounded-lg bg-slate-50 p-4 text-sm">{query}</pre>;
  }
  const parts: React.ReactNode[] = [];
  let at = 0;
  tokens.forEach((token, i) => {
    if (token.start > at) parts.push(query.slice(at, token.start));
    const kind = kindOf(token, tokens[i + 1]);
    parts.push(
      <span key={i} className={STYLE[kind]} data-token={kind}>
        {query.slice(token.start, token.end)}
      </span>,
    );
    at = token.end;
  });
  if (at < query.length) parts.push(query.slice(at));
  return (
    <pre
      data-testid="rule-query"
      className="overflow-x-auto rounded-lg border border-slate-200 bg-slate-50 p-4 font-mono text-sm leading-relaxed whitespace-pre-wrap"
    >
      <code>{parts}</code>
    </pre>
  );
}
