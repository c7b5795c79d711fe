import type { Root, RootContent } from "mdast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { describe, expect, it } from "vitest";
import { controlPictures, inertBlock, inertCode } from "./inert";

const parse = (md: string) => unified().use(remarkParse).use(remarkGfm).parse(md) as Root;

/** Every node type in the tree, depth first. */
function types(node: Root | RootContent): string[] {
  const children = "children" in node ? node.children : [];
  return [node.type, ...children.flatMap((c) => types(c as RootContent))];
}

function textOf(node: Root | RootContent): string {
  if ("value" in node && typeof node.value === "string") return node.value;
  return "children" in node ? node.children.map((c) => textOf(c as RootContent)).join("") : "";
}

// what the earlier report let through, and the usual Markdown/HTML tricks
const HOSTILE = [
  "evil\r# Owned\r[click](https://evil.example)",
  "evil\n\n# Owned",
  "evil\r\n---\r\n",
  "``` fenced ```",
  "a`b``c```d",
  "`",
  "` leading and trailing `",
  "|pipe|in|cell|",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "[x](javascript:alert(1))",
  "![img](https://evil.example/p.png)",
  "<https://evil.example>",
  "https://evil.example/path",
  "www.evil.example",
  "mail@evil.example",
  "&lt;b&gt; &#x41; &amp;",
  "*em* **strong** _u_ ~~del~~",
  "    indented code",
  "> quote",
  "- item",
  "1. item",
  "[ref]: https://evil.example",
  "[ref]",
  "[^note]",
  "\\",
  "trailing backslash\\",
  "tab\there\u0000nul\u007fdel\u000bvt\u000cff",
  "   ",
  "#",
  "line1\u2028line2",
  "back\\|slash pipe",
];

// deterministic fuzz over the characters that matter to Markdown
function* fuzz(n: number): Generator<string> {
  const alphabet = [
    "\r",
    "\n",
    "`",
    "|",
    "<",
    ">",
    "[",
    "]",
    "(",
    ")",
    "#",
    "*",
    "_",
    "\\",
    "&",
    ";",
    "!",
    " ",
    "a",
    ":",
    "/",
    "w",
    ".",
    "-",
    "=",
    "~",
  ];
  let seed = 16;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let i = 0; i < n; i++) {
    const len = 1 + (next() % 40);
    yield Array.from({ length: len }, () => alphabet[next() % alphabet.length]).join("");
  }
}

const CASES = [...HOSTILE, ...fuzz(600)];

describe("inertCode", () => {
  it("returns the placeholder for missing values", () => {
    expect(inertCode(null)).toBe("—");
    expect(inertCode("", { empty: "(none)" })).toBe("(none)");
  });

  it.each(HOSTILE)("keeps %j as one code span in a heading, with no link or HTML", (value) => {
    const tree = parse(`# Case #1: ${inertCode(value)}`);
    expect(types(tree)).toEqual(["root", "heading", "text", "inlineCode"]);
    expect(textOf(tree)).toBe(`Case #1: ${controlPictures(value)}`);
  });

  it(
    "keeps every value as exactly one code span with the value, in paragraphs and table cells",
    { timeout: 60_000 },
    () => {
      for (const value of CASES) {
        const inline = parse(`Consumer: ${inertCode(value)} end`);
        expect(types(inline), JSON.stringify(value)).toEqual(["root", "paragraph", "text", "inlineCode", "text"]);
        const span = (inline.children[0] as { children: RootContent[] }).children[1];
        expect(span).toMatchObject({ type: "inlineCode", value: controlPictures(value) });

        const table = parse(`| a | b |\n| --- | --- |\n| ${inertCode(value, { table: true })} | x |`);
        const cells = types(table).filter((t) => t === "tableCell");
        expect(cells, JSON.stringify(value)).toHaveLength(4);
        expect(types(table).filter((t) => t === "inlineCode")).toHaveLength(1);
        // exact, except that an odd backslash run before a pipe shows one more backslash (see inert.ts)
        const inCell = controlPictures(value).replace(
          /(\\*)\|/g,
          (_, run: string) => `${run}${run.length % 2 ? "\\" : ""}|`,
        );
        expect(textOf(table)).toBe(`ab${inCell}x`);
      }
    },
  );

  it("writes a value with a backslash before a pipe so the cell stays one cell", () => {
    const tree = parse(`| a |\n| --- |\n| ${inertCode("x\\|y", { table: true })} |`);
    expect(types(tree).filter((t) => t === "tableCell")).toHaveLength(2);
    expect(textOf(tree)).toBe("ax\\\\|y");
  });
});

describe("inertBlock", () => {
  it("keeps multi-line text as one code block, line endings normalised", { timeout: 60_000 }, () => {
    for (const value of CASES) {
      const tree = parse(`Note:\n\n${inertBlock(value)}\n\n# After`);
      expect(types(tree), JSON.stringify(value)).toEqual(["root", "paragraph", "text", "code", "heading", "text"]);
      const code = tree.children[1];
      const expected = value.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, controlPictures);
      expect(code).toMatchObject({ type: "code", lang: "text", value: expected });
    }
  });
});
