import { ValueType, decodeUtf16, formatArray, formatScalar } from "./values";
import type { XChild, XElement } from "./xml-tree";

/**
 * Binary XML tokens (libyal EVTX format documentation, "Binary XML"). Bit 0x40 on a token
 * means "has attributes" (open start element) or "more follow" (attribute, value, refs).
 */
const Token = {
  EndOfStream: 0x00,
  OpenStartElement: 0x01,
  CloseStartElement: 0x02,
  CloseEmptyElement: 0x03,
  EndElement: 0x04,
  Value: 0x05,
  Attribute: 0x06,
  CData: 0x07,
  CharRef: 0x08,
  EntityRef: 0x09,
  PITarget: 0x0a,
  PIData: 0x0b,
  TemplateInstance: 0x0c,
  NormalSubstitution: 0x0d,
  OptionalSubstitution: 0x0e,
  FragmentHeader: 0x0f,
} as const;

/** A template definition's body or a record fragment, before substitution. */
type TNode =
  | TElement
  | { k: "text"; text: string }
  | { k: "subst"; index: number; optional: boolean }
  | { k: "cdata"; text: string }
  | { k: "pi"; target: string; data: string }
  | { k: "instance"; def: TNode[]; values: RawValue[] };

interface TElement {
  k: "elem";
  name: string;
  attrs: { name: string; parts: TNode[] }[];
  children: TNode[];
}

interface RawValue {
  type: number;
  off: number;
  size: number;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

const MAX_NESTING = 16;

export class BinXmlError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at chunk offset 0x${offset.toString(16)}`);
  }
}

/**
 * Decodes Binary XML inside one 64 KiB chunk. Element/attribute names and template
 * definitions are referenced by chunk-relative offset, so both are cached per chunk
 * (a template is typically defined once and instantiated by hundreds of records).
 */
export class ChunkBinXml {
  private readonly dv: DataView;
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, TNode[]>();

  constructor(private readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Parses and substitutes the Binary XML at `[start, end)` into the elements it renders to. */
  renderFragment(start: number, end: number): XChild[] {
    const nodes = this.parseNodes(start, end, 0).nodes;
    const out: XChild[] = [];
    this.resolve(nodes, [], out, 0);
    return out;
  }

  private need(pos: number, n: number, end: number): void {
    if (pos + n > end) throw new BinXmlError(`Binary XML truncated (need ${n} bytes)`, pos);
  }

  /** Name structure: next-offset u32, hash u16, char count u16, UTF-16 chars, NUL. */
  private readName(nameOff: number, pos: number, end: number): { name: string; pos: number } {
    let name = this.names.get(nameOff);
    if (name === undefined || nameOff === pos) {
      if (nameOff + 8 > this.bytes.length)
        throw new BinXmlError(`name offset 0x${nameOff.toString(16)} outside chunk`, pos);
      const count = this.dv.getUint16(nameOff + 6, true);
      if (nameOff + 8 + count * 2 > this.bytes.length) throw new BinXmlError("name outside chunk", nameOff);
      name = decodeUtf16(this.bytes, nameOff + 8, count * 2);
      this.names.set(nameOff, name);
      if (nameOff === pos) {
        const next = pos + 8 + count * 2 + 2;
        this.need(pos, next - pos, end);
        return { name, pos: next };
      }
    }
    return { name, pos };
  }

  private getTemplate(defOff: number, depth: number): TNode[] {
    let def = this.templates.get(defOff);
    if (def) return def;
    if (defOff + 24 > this.bytes.length)
      throw new BinXmlError(`template offset 0x${defOff.toString(16)} outside chunk`, defOff);
    const size = this.dv.getUint32(defOff + 20, true);
    const start = defOff + 24;
    if (start + size > this.bytes.length) throw new BinXmlError(`template of ${size} bytes overruns chunk`, defOff);
    def = this.parseNodes(start, start + size, depth + 1, true).nodes;
    this.templates.set(defOff, def);
    return def;
  }

  private parseNodes(start: number, end: number, depth: number, inTemplate = false): { nodes: TNode[]; pos: number } {
    if (depth > MAX_NESTING) throw new BinXmlError("Binary XML nested too deeply", start);
    const { bytes, dv } = this;
    const top: TNode[] = [];
    const stack: TElement[] = [];
    const sink = (): TNode[] => (stack.length ? stack[stack.length - 1].children : top);
    let pos = start;
    while (pos < end) {
      const tok = bytes[pos];
      const base = tok & 0xbf;
      switch (base) {
        case Token.EndOfStream:
          return { nodes: top, pos: pos + 1 };
        case Token.FragmentHeader:
          this.need(pos, 4, end);
          pos += 4;
          break;
        case Token.OpenStartElement: {
          // token, [dependency id u16], data size u32, name offset u32. Template definitions carry
          // the dependency id; records written without templates (the PowerLurk PowerShell log)
          // omit it, which defeats readers that always expect it. An inline name (offset ==
          // where the name would start) settles which layout this element uses.
          this.need(pos, 9, end);
          const noDepOff = dv.getUint32(pos + 5, true);
          const depOff = pos + 11 <= end ? dv.getUint32(pos + 7, true) : -1;
          let withDep = inTemplate;
          if (noDepOff === pos + 9) withDep = false;
          else if (depOff === pos + 11) withDep = true;
          else if (withDep && depOff + 8 > this.bytes.length) withDep = false;
          else if (!withDep && noDepOff + 8 > this.bytes.length && depOff >= 0) withDep = true;
          const nameOff = withDep ? depOff : noDepOff;
          const r = this.readName(nameOff, pos + (withDep ? 11 : 9), end);
          pos = r.pos;
          if (tok & 0x40) {
            this.need(pos, 4, end);
            pos += 4; // attribute list size
          }
          const el: TElement = { k: "elem", name: r.name, attrs: [], children: [] };
          sink().push(el);
          stack.push(el);
          // Attributes follow directly, each a name plus value tokens, until close start/empty.
          while (pos < end && (bytes[pos] & 0xbf) === Token.Attribute) {
            this.need(pos, 5, end);
            const an = this.readName(dv.getUint32(pos + 1, true), pos + 5, end);
            pos = an.pos;
            const parts: TNode[] = [];
            pos = this.parseValueTokens(pos, end, parts);
            el.attrs.push({ name: an.name, parts });
          }
          break;
        }
        case Token.CloseStartElement:
          if (!stack.length) throw new BinXmlError("close start element outside an element", pos);
          pos += 1;
          break;
        case Token.CloseEmptyElement:
        case Token.EndElement:
          if (!stack.length) throw new BinXmlError("end element without open element", pos);
          stack.pop();
          pos += 1;
          break;
        case Token.Value:
        case Token.CharRef:
        case Token.EntityRef:
        case Token.NormalSubstitution:
        case Token.OptionalSubstitution:
        case Token.CData:
          pos = this.parseValueTokens(pos, end, sink());
          break;
        case Token.PITarget: {
          this.need(pos, 5, end);
          const t = this.readName(dv.getUint32(pos + 1, true), pos + 5, end);
          pos = t.pos;
          let data = "";
          if (pos < end && (bytes[pos] & 0xbf) === Token.PIData) {
            this.need(pos, 3, end);
            const n = dv.getUint16(pos + 1, true);
            this.need(pos + 3, n * 2, end);
            data = decodeUtf16(bytes, pos + 3, n * 2);
            pos += 3 + n * 2;
          }
          sink().push({ k: "pi", target: t.name, data });
          break;
        }
        case Token.TemplateInstance: {
          // token, unknown u8, template id u32, definition offset u32
          this.need(pos, 10, end);
          const defOff = dv.getUint32(pos + 6, true);
          pos += 10;
          if (defOff === pos) {
            // Definition stored inline (first use in this chunk): next u32, GUID, data size u32, body.
            this.need(pos, 24, end);
            pos += 24 + dv.getUint32(pos + 20, true);
          }
          const def = this.getTemplate(defOff, depth);
          this.need(pos, 4, end);
          const count = dv.getUint32(pos, true);
          pos += 4;
          this.need(pos, count * 4, end);
          const values: RawValue[] = new Array(count);
          let valuePos = pos + count * 4;
          for (let i = 0; i < count; i++) {
            const size = dv.getUint16(pos + i * 4, true);
            const type = bytes[pos + i * 4 + 2];
            values[i] = { type, off: valuePos, size };
            valuePos += size;
          }
          if (valuePos > end) throw new BinXmlError(`substitution values overrun record (${count} values)`, pos);
          pos = valuePos;
          sink().push({ k: "instance", def, values });
          break;
        }
        default:
          throw new BinXmlError(`unknown Binary XML token 0x${tok.toString(16)}`, pos);
      }
    }
    if (stack.length) throw new BinXmlError(`Binary XML ended inside <${stack[stack.length - 1].name}>`, pos);
    return { nodes: top, pos };
  }

  /** Value tokens that make up element content or an attribute value. */
  private parseValueTokens(pos: number, end: number, out: TNode[]): number {
    const { bytes, dv } = this;
    while (pos < end) {
      const base = bytes[pos] & 0xbf;
      switch (base) {
        case Token.Value: {
          this.need(pos, 4, end);
          const type = bytes[pos + 1];
          if (type !== ValueType.String) throw new BinXmlError(`value token of type 0x${type.toString(16)}`, pos);
          const n = dv.getUint16(pos + 2, true);
          this.need(pos + 4, n * 2, end);
          out.push({ k: "text", text: decodeUtf16(bytes, pos + 4, n * 2) });
          pos += 4 + n * 2;
          break;
        }
        case Token.CData: {
          this.need(pos, 3, end);
          const n = dv.getUint16(pos + 1, true);
          this.need(pos + 3, n * 2, end);
          out.push({ k: "cdata", text: decodeUtf16(bytes, pos + 3, n * 2) });
          pos += 3 + n * 2;
          break;
        }
        case Token.CharRef:
          this.need(pos, 3, end);
          out.push({ k: "text", text: String.fromCharCode(dv.getUint16(pos + 1, true)) });
          pos += 3;
          break;
        case Token.EntityRef: {
          this.need(pos, 5, end);
          const r = this.readName(dv.getUint32(pos + 1, true), pos + 5, end);
          out.push({ k: "text", text: ENTITIES[r.name] ?? `&${r.name};` });
          pos = r.pos;
          break;
        }
        case Token.NormalSubstitution:
        case Token.OptionalSubstitution:
          this.need(pos, 4, end);
          out.push({ k: "subst", index: dv.getUint16(pos + 1, true), optional: base === Token.OptionalSubstitution });
          pos += 4;
          break;
        default:
          return pos;
      }
    }
    return pos;
  }

  private isEmptyValue(v: RawValue | undefined): boolean {
    return !v || v.type === ValueType.Null || v.size === 0;
  }

  private resolveAttrs(n: TElement, values: RawValue[], el: XElement, depth: number): void {
    for (const a of n.attrs) {
      // Windows omits an attribute whose optional substitution is empty: `<Correlation/>`.
      if (a.parts.every((p) => p.k === "subst" && p.optional && this.isEmptyValue(values[p.index]))) continue;
      const parts: XChild[] = [];
      this.resolve(a.parts, values, parts, depth);
      let s = "";
      for (const p of parts) if (typeof p === "string") s += p;
      el.attrs.push([a.name, s]);
    }
  }

  private resolve(nodes: TNode[], values: RawValue[], out: XChild[], depth: number): void {
    if (depth > MAX_NESTING) throw new BinXmlError("substitutions nested too deeply", 0);
    for (const n of nodes) {
      switch (n.k) {
        case "elem": {
          const only = n.children.length === 1 && n.children[0].k === "subst" ? n.children[0] : undefined;
          const v = only ? values[only.index] : undefined;
          // An element holding only an optional substitution that is null is left out, as
          // Windows and evtxexport do (classic events without `<Binary>` data).
          if (only?.optional && v && v.type === ValueType.Null) break;
          // An element holding only an array substitution is rendered once per item: classic
          // EventLog events store their insertion strings as one string array (`<Data>%1</Data>`).
          if (v && v.type & ValueType.ArrayFlag && v.type !== ValueType.BinXml) {
            for (const item of formatArray(this.bytes, this.dv, v.type, v.off, v.size)) {
              const el: XElement = { name: n.name, attrs: [], children: item === "" ? [] : [item] };
              this.resolveAttrs(n, values, el, depth);
              out.push(el);
            }
            break;
          }
          const el: XElement = { name: n.name, attrs: [], children: [] };
          this.resolveAttrs(n, values, el, depth);
          this.resolve(n.children, values, el.children, depth);
          out.push(el);
          break;
        }
        case "text":
          pushText(out, n.text);
          break;
        case "cdata":
          out.push({ cdata: n.text });
          break;
        case "pi":
          out.push({ piTarget: n.target, piData: n.data });
          break;
        case "instance":
          this.resolve(n.def, n.values, out, depth + 1);
          break;
        case "subst": {
          const v = values[n.index];
          if (this.isEmptyValue(v)) break;
          const { type, off, size } = v;
          if (type === ValueType.BinXml) {
            const inner = this.parseNodes(off, off + size, depth + 1).nodes;
            this.resolve(inner, [], out, depth + 1);
          } else if (type & ValueType.ArrayFlag) {
            pushText(out, formatArray(this.bytes, this.dv, type, off, size).join(","));
          } else {
            try {
              pushText(out, formatScalar(this.bytes, this.dv, type, off, size));
            } catch (e) {
              throw new BinXmlError(`substitution ${n.index}: ${(e as Error).message}`, off);
            }
          }
          break;
        }
      }
    }
  }
}

function pushText(out: XChild[], text: string): void {
  if (text === "") return;
  const last = out.length - 1;
  if (last >= 0 && typeof out[last] === "string") out[last] = (out[last] as string) + text;
  else out.push(text);
}
