import { describe, it, expect } from "vitest";
import { ValueType, formatArray, formatFileTime, formatScalar } from "./values";

function fmt(type: number, bytes: number[]): string {
  const u8 = Uint8Array.from(bytes);
  return formatScalar(u8, new DataView(u8.buffer), type, 0, u8.length);
}

const utf16z = (...items: string[]) => [...Buffer.from(items.map((s) => `${s}\0`).join(""), "utf16le")];

describe("formatScalar renders values as Windows' event XML shows them", () => {
  it("GUID in braces, upper-case, mixed-endian fields", () => {
    const g = [0x5f, 0x38, 0x70, 0x57, 0x2a, 0xc2, 0xe0, 0x43, 0xbf, 0x4c, 0x06, 0xf5, 0x69, 0x8f, 0xfb, 0xd9];
    expect(fmt(ValueType.Guid, g)).toBe("{5770385F-C22A-43E0-BF4C-06F5698FFBD9}");
  });
  it("SID S-1-5-18 and a domain SID", () => {
    expect(fmt(ValueType.Sid, [1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0])).toBe("S-1-5-18");
    expect(fmt(ValueType.Sid, [1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0])).toBe("S-1-5-32-544");
  });
  it("hex integers without padding, like <Data Name='LogonId'>0x3e7</Data>", () => {
    expect(fmt(ValueType.HexInt64, [0xe7, 0x03, 0, 0, 0, 0, 0, 0])).toBe("0x3e7");
    expect(fmt(ValueType.HexInt32, [0xff, 0xff, 0x1f, 0])).toBe("0x1fffff");
    expect(fmt(ValueType.HexInt64, [0, 0, 0, 0, 0, 0, 0, 0x80])).toBe("0x8000000000000000");
  });
  it("signed/unsigned integers, bool, binary, strings without their NUL terminator", () => {
    expect(fmt(ValueType.Int32, [0xff, 0xff, 0xff, 0xff])).toBe("-1");
    expect(fmt(ValueType.UInt32, [0xff, 0xff, 0xff, 0xff])).toBe("4294967295");
    expect(fmt(ValueType.UInt64, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).toBe("18446744073709551615");
    expect(fmt(ValueType.Bool, [1, 0, 0, 0])).toBe("true");
    expect(fmt(ValueType.Binary, [0x22, 0, 0, 0xc0])).toBe("220000C0");
    expect(fmt(ValueType.String, utf16z(' "c:\\x.exe" '))).toBe(' "c:\\x.exe" ');
    expect(fmt(ValueType.AnsiString, [0x41, 0xae, 0])).toBe("A®");
  });
  it("FILETIME with 7 fractional digits, and the FILETIME epoch", () => {
    expect(formatFileTime(132_080_210_700_000_000n + 1n)).toBe("2019-07-19T14:44:30.0000001Z");
    expect(formatFileTime(0n)).toBe("1601-01-01T00:00:00.0000000Z");
    expect(formatFileTime(12_345_678n)).toBe("1601-01-01T00:00:01.2345678Z");
  });
  it("rejects a value shorter than its type", () => {
    expect(() => fmt(ValueType.Guid, [1, 2, 3])).toThrow(/needs 16 bytes/);
  });
});

describe("formatArray", () => {
  it("splits NUL-terminated strings and keeps a trailing empty item", () => {
    const u8 = Uint8Array.from(utf16z("a", "(NULL)", ""));
    expect(formatArray(u8, new DataView(u8.buffer), ValueType.String | 0x80, 0, u8.length)).toEqual([
      "a",
      "(NULL)",
      "",
    ]);
  });
  it("reads fixed-size items", () => {
    const u8 = Uint8Array.from([1, 0, 2, 0, 0xff, 0xff]);
    expect(formatArray(u8, new DataView(u8.buffer), ValueType.UInt16 | 0x80, 0, 6)).toEqual(["1", "2", "65535"]);
  });
});
