import { describe, it, expect } from "vitest";
import { ChunkBinXml } from "./binxml";
import { getTextContent, isElement, renderXml, type XElement } from "./xml-tree";

/** Writes Binary XML by hand, with names stored inline (offset == position), as Windows does on first use. */
class BinXmlWriter {
  readonly bytes = new Uint8Array(65536);
  private readonly dv = new DataView(this.bytes.buffer);
  pos = 512;
  u8(...v: number[]) {
    for (const b of v) this.bytes[this.pos++] = b;
    return this;
  }
  u16(v: number) {
    this.dv.setUint16(this.pos, v, true);
    this.pos += 2;
    return this;
  }
  u32(v: number) {
    this.dv.setUint32(this.pos, v, true);
    this.pos += 4;
    return this;
  }
  chars(s: string) {
    for (let i = 0; i < s.length; i++) this.u16(s.charCodeAt(i));
    return this;
  }
  /** name offset pointing right behind itself, then the name structure */
  inlineName(s: string) {
    this.u32(this.pos + 4);
    return this.u32(0).u16(0).u16(s.length).chars(s).u16(0);
  }
}

describe("ChunkBinXml on tokens the datasets do not exercise", () => {
  it("renders char refs, entity refs, CDATA, PIs and attribute text in a template-less fragment", () => {
    const w = new BinXmlWriter();
    w.u8(0x0f, 1, 1, 0); // fragment header
    w.u8(0x41).u32(0).inlineName("A").u32(0); // open start element with attributes, no dependency id
    w.u8(0x06).inlineName("k").u8(0x05, 0x01).u16(2).chars("v&");
    w.u8(0x02); // close start element
    w.u8(0x08).u16(0x41); // &#65;
    w.u8(0x09).inlineName("amp");
    w.u8(0x07).u16(3).chars("x<y");
    w.u8(0x0a).inlineName("pi").u8(0x0b).u16(1).chars("d");
    w.u8(0x04, 0x00); // end element, end of stream
    const nodes = new ChunkBinXml(w.bytes).renderFragment(512, w.pos);
    const a = nodes.find(isElement) as XElement;
    expect(a.name).toBe("A");
    expect(a.attrs).toEqual([["k", "v&"]]);
    expect(getTextContent(a)).toBe("A&x<y");
    const xml = renderXml(a);
    expect(xml).toContain('<A k="v&amp;">');
    expect(xml).toContain("A&amp;");
    expect(xml).toContain("<![CDATA[x<y]]>");
    expect(xml).toContain("<?pi d?>");
  });

  it("reports an unknown token with its chunk offset instead of looping or crashing", () => {
    const w = new BinXmlWriter();
    w.u8(0x0f, 1, 1, 0, 0x3f);
    expect(() => new ChunkBinXml(w.bytes).renderFragment(512, w.pos)).toThrow(
      "unknown Binary XML token 0x3f at chunk offset 0x204",
    );
  });

  it("reports an element left open at the end of the data", () => {
    const w = new BinXmlWriter();
    w.u8(0x0f, 1, 1, 0).u8(0x01).u32(0).inlineName("Event").u8(0x02);
    expect(() => new ChunkBinXml(w.bytes).renderFragment(512, w.pos)).toThrow(/ended inside <Event>/);
  });
});
