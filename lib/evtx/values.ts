/**
 * Binary XML substitution value types and their text rendering, per libyal's EVTX format
 * documentation ("Value types") and the strings Windows' own XML rendering (EvtRender /
 * Event Viewer's XML view, which Winlogbeat reads) shows for them.
 */
export const ValueType = {
  Null: 0x00,
  String: 0x01,
  AnsiString: 0x02,
  Int8: 0x03,
  UInt8: 0x04,
  Int16: 0x05,
  UInt16: 0x06,
  Int32: 0x07,
  UInt32: 0x08,
  Int64: 0x09,
  UInt64: 0x0a,
  Real32: 0x0b,
  Real64: 0x0c,
  Bool: 0x0d,
  Binary: 0x0e,
  Guid: 0x0f,
  SizeT: 0x10,
  FileTime: 0x11,
  SystemTime: 0x12,
  Sid: 0x13,
  HexInt32: 0x14,
  HexInt64: 0x15,
  EvtHandle: 0x20,
  BinXml: 0x21,
  EvtXml: 0x23,
  ArrayFlag: 0x80,
} as const;

const utf16 = new TextDecoder("utf-16le");
// Windows writes "ANSI" strings in the system code page; windows-1252 is evtxexport's default (-c).
const ansi = new TextDecoder("windows-1252");

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0").toUpperCase());

/** UTF-16LE text without the terminating NUL(s) Windows stores with substitution strings. */
export function decodeUtf16(bytes: Uint8Array, off: number, byteLength: number): string {
  let end = off + (byteLength & ~1);
  while (end >= off + 2 && bytes[end - 1] === 0 && bytes[end - 2] === 0) end -= 2;
  return end > off ? utf16.decode(bytes.subarray(off, end)) : "";
}

export function formatHexBytes(bytes: Uint8Array, off: number, size: number): string {
  let s = "";
  for (let i = off; i < off + size; i++) s += HEX[bytes[i]];
  return s;
}

/** `{0AAF6C4D-…}` upper-case, as Windows renders GUIDs (Provider Guid, ProcessGuid). */
export function formatGuid(bytes: Uint8Array, off: number): string {
  const b = (i: number) => HEX[bytes[off + i]];
  return (
    `{${b(3)}${b(2)}${b(1)}${b(0)}-${b(5)}${b(4)}-${b(7)}${b(6)}-` +
    `${b(8)}${b(9)}-${b(10)}${b(11)}${b(12)}${b(13)}${b(14)}${b(15)}}`
  );
}

/** `S-1-5-21-…`: revision, 48-bit big-endian authority, little-endian 32-bit sub-authorities. */
export function formatSid(dv: DataView, off: number, size: number): string {
  if (size < 8) throw new Error(`SID too short (${size} bytes)`);
  const count = dv.getUint8(off + 1);
  if (8 + count * 4 > size) throw new Error(`SID with ${count} sub-authorities exceeds ${size} bytes`);
  const authority = dv.getUint16(off + 2) * 2 ** 32 + dv.getUint32(off + 4);
  let s = `S-${dv.getUint8(off)}-${authority}`;
  for (let i = 0; i < count; i++) s += `-${dv.getUint32(off + 8 + i * 4, true)}`;
  return s;
}

const FILETIME_UNIX_EPOCH = 116444736000000000n;

/**
 * FILETIME (100 ns ticks since 1601) as Windows renders `SystemTime`:
 * `2019-03-17T19:15:11.5419180Z` (seven fractional digits).
 */
export function formatFileTime(ticks: bigint): string {
  const sinceUnix = ticks - FILETIME_UNIX_EPOCH;
  let whole = sinceUnix / 10000000n; // BigInt division truncates toward zero; floor it
  if (sinceUnix < 0n && whole * 10000000n !== sinceUnix) whole -= 1n;
  const frac = sinceUnix - whole * 10000000n;
  const seconds = Number(whole);
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) throw new Error(`FILETIME out of range: 0x${ticks.toString(16)}`);
  return `${date.toISOString().slice(0, 19)}.${frac.toString().padStart(7, "0")}Z`;
}

/** SYSTEMTIME (eight little-endian uint16: year, month, weekday, day, h, m, s, ms). */
export function formatSystemTime(dv: DataView, off: number): string {
  const u = (i: number) => dv.getUint16(off + i * 2, true);
  const p = (n: number, w = 2) => n.toString().padStart(w, "0");
  return `${p(u(0), 4)}-${p(u(1))}-${p(u(3))}T${p(u(4))}:${p(u(5))}:${p(u(6))}.${p(u(7), 3)}0000Z`;
}

const FIXED_SIZE: Record<number, number> = {
  [ValueType.Int8]: 1,
  [ValueType.UInt8]: 1,
  [ValueType.Int16]: 2,
  [ValueType.UInt16]: 2,
  [ValueType.Int32]: 4,
  [ValueType.UInt32]: 4,
  [ValueType.Int64]: 8,
  [ValueType.UInt64]: 8,
  [ValueType.Real32]: 4,
  [ValueType.Real64]: 8,
  [ValueType.Bool]: 4,
  [ValueType.Guid]: 16,
  [ValueType.FileTime]: 8,
  [ValueType.SystemTime]: 16,
  [ValueType.HexInt32]: 4,
  [ValueType.HexInt64]: 8,
};

function checkSize(type: number, size: number): void {
  const want = FIXED_SIZE[type];
  if (want !== undefined && size < want)
    throw new Error(`value type 0x${type.toString(16)} needs ${want} bytes, has ${size}`);
}

/**
 * One scalar value as text. Hex integers are `0x` + lower-case digits without padding, as
 * Windows renders them (`<Data Name="LogonId">0x3e7</Data>`; evtxexport pads to the width).
 */
export function formatScalar(bytes: Uint8Array, dv: DataView, type: number, off: number, size: number): string {
  checkSize(type, size);
  switch (type) {
    case ValueType.Null:
      return "";
    case ValueType.String:
      return decodeUtf16(bytes, off, size);
    case ValueType.AnsiString: {
      let end = off + size;
      while (end > off && bytes[end - 1] === 0) end--;
      return ansi.decode(bytes.subarray(off, end));
    }
    case ValueType.Int8:
      return String(dv.getInt8(off));
    case ValueType.UInt8:
      return String(dv.getUint8(off));
    case ValueType.Int16:
      return String(dv.getInt16(off, true));
    case ValueType.UInt16:
      return String(dv.getUint16(off, true));
    case ValueType.Int32:
      return String(dv.getInt32(off, true));
    case ValueType.UInt32:
      return String(dv.getUint32(off, true));
    case ValueType.Int64:
      return dv.getBigInt64(off, true).toString();
    case ValueType.UInt64:
      return dv.getBigUint64(off, true).toString();
    case ValueType.Real32:
      return String(dv.getFloat32(off, true));
    case ValueType.Real64:
      return String(dv.getFloat64(off, true));
    case ValueType.Bool:
      return dv.getUint32(off, true) !== 0 ? "true" : "false";
    case ValueType.Binary:
      return formatHexBytes(bytes, off, size);
    case ValueType.Guid:
      return formatGuid(bytes, off);
    case ValueType.SizeT:
      if (size === 4) return `0x${dv.getUint32(off, true).toString(16)}`;
      if (size === 8) return `0x${dv.getBigUint64(off, true).toString(16)}`;
      throw new Error(`size_t of ${size} bytes`);
    case ValueType.FileTime:
      return formatFileTime(dv.getBigUint64(off, true));
    case ValueType.SystemTime:
      return formatSystemTime(dv, off);
    case ValueType.Sid:
      return formatSid(dv, off, size);
    case ValueType.HexInt32:
      return `0x${dv.getUint32(off, true).toString(16)}`;
    case ValueType.HexInt64:
      return `0x${dv.getBigUint64(off, true).toString(16)}`;
    case ValueType.EvtHandle:
      return formatHexBytes(bytes, off, size);
    case ValueType.EvtXml:
      return decodeUtf16(bytes, off, size);
    default:
      throw new Error(`unknown value type 0x${type.toString(16)}`);
  }
}

/**
 * An array value (type | 0x80): strings are NUL-separated, other types are packed fixed-size
 * items (libyal: "Array types").
 */
export function formatArray(bytes: Uint8Array, dv: DataView, type: number, off: number, size: number): string[] {
  const item = type & 0x7f;
  if (item === ValueType.String) {
    // Each item is NUL-terminated, so "a\0\0" is ["a", ""]: only the last terminator goes.
    let text = utf16.decode(bytes.subarray(off, off + (size & ~1)));
    if (text.endsWith("\0")) text = text.slice(0, -1);
    return size === 0 ? [] : text.split("\0");
  }
  if (item === ValueType.AnsiString) {
    return formatScalar(bytes, dv, item, off, size).split("\0");
  }
  let width = FIXED_SIZE[item];
  if (item === ValueType.SizeT) width = 8;
  if (item === ValueType.Sid) {
    const out: string[] = [];
    let p = off;
    while (p + 8 <= off + size) {
      const n = 8 + dv.getUint8(p + 1) * 4;
      out.push(formatSid(dv, p, n));
      p += n;
    }
    return out;
  }
  if (width === undefined) throw new Error(`array of value type 0x${item.toString(16)} is not supported`);
  if (size % width !== 0)
    throw new Error(`array of 0x${item.toString(16)}: ${size} bytes is not a multiple of ${width}`);
  const out: string[] = [];
  for (let p = off; p < off + size; p += width) out.push(formatScalar(bytes, dv, item, p, width));
  return out;
}
