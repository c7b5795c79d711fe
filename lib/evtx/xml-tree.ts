/** A record's Binary XML after template substitution: the same tree Windows renders as event XML. */
export interface XElement {
  name: string;
  attrs: [name: string, value: string][];
  children: XChild[];
}

export type XChild = XElement | string | { cdata: string } | { piTarget: string; piData: string };

export function isElement(child: XChild): child is XElement {
  return typeof child === "object" && "children" in child;
}

/** The element's character content (text and CDATA of all descendants), as XPath string(). */
export function getTextContent(el: XElement): string {
  let s = "";
  for (const c of el.children) {
    if (typeof c === "string") s += c;
    else if ("cdata" in c) s += c.cdata;
    else if ("children" in c) s += getTextContent(c);
  }
  return s;
}

export function findChild(el: XElement, name: string): XElement | undefined {
  for (const c of el.children) if (typeof c === "object" && "children" in c && c.name === name) return c;
  return undefined;
}

export function getAttr(el: XElement, name: string): string | undefined {
  for (const [k, v] of el.attrs) if (k === name) return v;
  return undefined;
}

function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"));
}

/**
 * Event XML laid out like `evtxexport -f xml` prints it: two-space indent, one element per line,
 * text-only elements inline, empty elements self-closed.
 */
export function renderXml(el: XElement, indent = ""): string {
  let open = `${indent}<${el.name}`;
  for (const [k, v] of el.attrs) open += ` ${k}="${escapeAttr(v)}"`;
  if (el.children.length === 0) return `${open}/>\n`;
  const textOnly = el.children.every((c) => typeof c === "string" || "cdata" in c);
  if (textOnly) {
    let text = "";
    for (const c of el.children)
      text += typeof c === "string" ? escapeText(c) : `<![CDATA[${(c as { cdata: string }).cdata}]]>`;
    return `${open}>${text}</${el.name}>\n`;
  }
  let out = `${open}>\n`;
  const inner = `${indent}  `;
  for (const c of el.children) {
    if (typeof c === "string") out += `${inner}${escapeText(c)}\n`;
    else if ("cdata" in c) out += `${inner}<![CDATA[${c.cdata}]]>\n`;
    else if ("piTarget" in c) out += `${inner}<?${c.piTarget} ${c.piData}?>\n`;
    else out += renderXml(c, inner);
  }
  return `${out}${indent}</${el.name}>\n`;
}
