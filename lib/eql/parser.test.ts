import { describe, expect, it } from "vitest";
import { EqlSyntaxError, parseEql } from "./parser";
import type { Expr } from "./ast";

function syntaxError(query: string): EqlSyntaxError {
  try {
    parseEql(query);
  } catch (e) {
    if (e instanceof EqlSyntaxError) return e;
    throw e;
  }
  throw new Error(`expected a syntax error for ${query}`);
}

const cond = (q: string): Expr => parseEql(q).condition;

describe("parseEql", () => {
  it("parses category, any and quoted category", () => {
    expect(parseEql("process where true").category).toBe("process");
    expect(parseEql("any where true").category).toBeNull();
    expect(parseEql('"network" where true').category).toBe("network");
  });

  it("gives not > and > or precedence", () => {
    const c = cond("any where not a == 1 and b == 2 or c == 3");
    expect(c.kind).toBe("or");
    if (c.kind !== "or") return;
    expect(c.operands[0].kind).toBe("and");
    if (c.operands[0].kind !== "and") return;
    expect(c.operands[0].operands[0].kind).toBe("not");
  });

  it("decodes escapes, unicode escapes and raw strings", () => {
    const c = cond('any where a == "x\\ty\\"\\\\\\u{41}\\u{1F600}"');
    expect(c.kind === "compare" && c.right.kind === "literal" && c.right.value).toBe('x\ty"\\A😀');
    const raw = cond('any where a == """C:\\Windows\\*"""');
    expect(raw.kind === "compare" && raw.right.kind === "literal" && raw.right.value).toBe("C:\\Windows\\*");
  });

  it("parses numbers, negative numbers and exponents", () => {
    const values = ["1", "-2", "1.5", "2e3", ".5"].map((n) => {
      const c = cond(`any where a == ${n}`);
      return c.kind === "compare" && c.right.kind === "literal" ? c.right.value : undefined;
    });
    expect(values).toEqual([1, -2, 1.5, 2000, 0.5]);
  });

  it("parses optional and backtick fields, in~, not in, like~, regex, functions with ~", () => {
    const c = cond(
      'any where ?`my field`.x in~ ("a") and b not in (1, 2) and c like~ "x*" and d regex ("a.*", "b") and startsWith~(e, "x")',
    );
    expect(c.kind).toBe("and");
    if (c.kind !== "and") return;
    const [a, b, l, r, f] = c.operands;
    expect(
      a.kind === "in" &&
        a.caseInsensitive &&
        a.left.kind === "field" &&
        a.left.path === "my field.x" &&
        a.left.optional,
    ).toBe(true);
    expect(b.kind === "in" && b.negated).toBe(true);
    expect(l.kind === "match" && l.op === "like" && l.caseInsensitive).toBe(true);
    expect(r.kind === "match" && r.op === "regex" && r.patterns.length === 2).toBe(true);
    expect(f.kind === "call" && f.name === "startsWith" && f.caseInsensitive).toBe(true);
  });

  it("reports line, column and what was expected", () => {
    const e = syntaxError('any where a : "x" and\n  winlog.x : or');
    expect(e.line).toBe(2);
    expect(e.column).toBe(14);
    expect(e.message).toBe("line 2, column 14: expected a value or '(' after ':' but found 'or'");
  });

  it("rejects single-quoted strings, uppercase keywords, unknown functions and bad ~ functions", () => {
    expect(syntaxError("any where a == 'x'").message).toMatch(/single-quoted strings are not supported/);
    expect(syntaxError("any where a == 1 AND b == 2").message).toMatch(/keywords are lowercase/);
    expect(syntaxError("any where nope(a)").message).toMatch(/unknown function 'nope'/);
    expect(syntaxError("any where length~(a) > 1").message).toMatch(/no case-insensitive/);
    expect(syntaxError("any where a like 1").message).toMatch(/expects string patterns/);
    expect(syntaxError('any where a == "x" | head 1').message).toBe(
      "line 1, column 20: pipes '| head' are not supported: the hunt's row limit bounds the results",
    );
    expect(syntaxError("process where descendant of [process where true]").message).toBe(
      "line 1, column 15: lineage ('descendant of [ … ]') is not supported (Elasticsearch's EQL has none); use a sequence",
    );
    expect(syntaxError("process where child of [process where true]").message).toMatch(/lineage \('child of/);
    expect(syntaxError("process where event of [process where true]").message).toMatch(/lineage \('event of/);
    // a field named like the keywords still parses
    expect(() => parseEql("process where child == 1 and event.code == 1")).not.toThrow();
    expect(syntaxError("process a == 1").message).toMatch(/expected 'where'/);
    expect(syntaxError('any where a == "\\q"').message).toMatch(/invalid escape/);
  });
});
