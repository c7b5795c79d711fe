import { describe, expect, it } from "vitest";
import { countMembers, stringifiedMemberCount } from "@/lib/ingest/canonical-json";

/** What the ingest relies on: a "yes" only where re-serialising would give the very same text. */
function vouchedFor(text: string): boolean {
  const members = stringifiedMemberCount(text);
  return members >= 0 && members === countMembers(JSON.parse(text));
}

describe("recognising JSON.stringify's own output", () => {
  it("says yes to documents as JSON.stringify writes them", () => {
    const docs = [
      {},
      { a: 1, b: [true, false, null, -12, 0], c: { d: "x" } },
      {
        "@timestamp": "2024-01-01T00:00:00Z",
        winlog: { event_data: { Image: "C:\\Windows\\System32\\cmd.exe", Q: '"quoted"' } },
      },
      { s: "tab\tnewline\ncr\rbs\bff\fnul\u0000 \u001f é € \u2028 / <>" },
      { n: 123456789012345, m: -987654321098765, e: [], o: {} },
      { __proto__: 1, "a.b": 2 },
    ];
    for (const doc of docs) {
      const text = JSON.stringify(doc);
      expect(stringifiedMemberCount(text), text).toBe(countMembers(doc));
      expect(vouchedFor(text), text).toBe(true);
    }
  });

  it("says no wherever JSON.stringify would write something else, and to numbers it does not check", () => {
    const texts = [
      '{"a": 1}',
      '{ "a":1}',
      '{"a":1,\t"b":2}',
      '{"a":1.0}',
      '{"a":1.5}',
      '{"a":1e3}',
      '{"a":-0}',
      '{"a":01}',
      '{"a":1234567890123456}',
      '{"a":"\\/"}',
      '{"a":"\\u0041"}',
      '{"a":"\\u001F"}',
      '{"a":"\\u000a"}',
      '{"a":"\\ud83d\\ude00"}',
      '{"a":"\\ud800"}',
      '{"b":1,"1":2}',
      '{"a":1,"a":2}',
      '{"x":{"a":1,"b":2,"a":3}}',
    ];
    for (const text of texts) expect(vouchedFor(text), text).toBe(false);
  });

  it("never vouches for a text that re-serialises differently (random texts)", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    const atoms = [
      "1",
      "0",
      "-3",
      "1.5",
      "1e2",
      "-0",
      "true",
      "null",
      '"x"',
      '"\\u0001"',
      '"\\u00e9"',
      '"\\/"',
      '"a\\"b"',
      '"\\\\"',
      '"é"',
    ];
    const keys = ['"k"', '"k"', '"j"', '"1"', '"a.b"', '"__proto__"'];
    const value = (depth: number): string => {
      const r = random();
      if (depth > 2 || r < 0.5) return atoms[Math.floor(random() * atoms.length)];
      const space = random() < 0.1 ? " " : "";
      if (r < 0.75)
        return `[${Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1)).join(`,${space}`)}]`;
      const members = Array.from(
        { length: Math.floor(random() * 4) },
        () => `${keys[Math.floor(random() * keys.length)]}:${space}${value(depth + 1)}`,
      );
      return `{${members.join(",")}}`;
    };
    let yes = 0;
    for (let i = 0; i < 20000; i++) {
      const text = value(0);
      if (vouchedFor(text)) {
        yes++;
        expect(JSON.stringify(JSON.parse(text)), text).toBe(text);
      }
    }
    expect(yes).toBeGreaterThan(1000);
  });
});
