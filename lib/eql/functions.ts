import type { FunctionName } from "./ast";
import { toKeyword } from "./keyword";
import { compileWildcard } from "./wildcard";

/**
 * EQL functions (Elastic EQL function reference, eql-function-ref). Every function
 * returns null when a required argument is null. The source argument may be
 * multi-valued: the function is applied to each value and a predicate built on it
 * holds when any result holds (the same "any value" rule as the operators); other
 * arguments use their first value.
 */

export type FunctionImpl = (args: unknown[][], caseInsensitive: boolean) => unknown[];

const first = (values: unknown[]): unknown => (values.length > 0 ? values[0] : null);
const str = (v: unknown): string | null => (v === null || v === undefined ? null : (toKeyword(v) ?? null));
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const fold = (s: string, ci: boolean) => (ci ? s.toLowerCase() : s);

function eachSource(args: unknown[][], fn: (source: string) => unknown): unknown[] {
  const out: unknown[] = [];
  for (const v of args[0]) {
    const s = str(v);
    if (s === null) continue;
    const r = fn(s);
    if (r !== null && r !== undefined) out.push(r);
  }
  return out;
}

const isInteger = (n: number) => Number.isInteger(n);

function arithmetic(op: (a: number, b: number) => number | null): FunctionImpl {
  return (args) => {
    const a = num(first(args[0]));
    const b = num(first(args[1]));
    if (a === null || b === null) return [];
    const r = op(a, b);
    return r === null || !Number.isFinite(r) ? [] : [r];
  };
}

/** Python-style slice bounds, as EQL's substring does ("negative offsets count from the end"). */
function sliceIndex(i: number, length: number): number {
  if (i < 0) return Math.max(0, length + i);
  return Math.min(i, length);
}

function parseIp(s: string): bigint[] | null {
  // returns [value, bitLength]
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const parts = s.split(".").map(Number);
    if (parts.some((p) => p > 255)) return null;
    return [parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n), 32n];
  }
  if (!s.includes(":")) return null;
  let text = s;
  let tailV4: bigint[] | null = null;
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    tailV4 = parseIp(text.slice(lastColon + 1));
    if (!tailV4) return null;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return null;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  let value = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (tailV4) value = (value & ~0xffffffffn) | tailV4[0];
  return [value, 128n];
}

function cidrContains(ip: string, cidr: string): boolean {
  const [net, bitsText] = cidr.split("/");
  const addr = parseIp(ip);
  const network = parseIp(net);
  if (!addr || !network || addr[1] !== network[1]) return false;
  const width = network[1];
  const bits = bitsText === undefined ? width : BigInt(Number(bitsText));
  if (bits < 0n || bits > width) return false;
  const mask = bits === 0n ? 0n : ((1n << bits) - 1n) << (width - bits);
  return (addr[0] & mask) === (network[0] & mask);
}

export const FUNCTIONS: Record<FunctionName, FunctionImpl> = {
  add: arithmetic((a, b) => a + b),
  subtract: arithmetic((a, b) => a - b),
  multiply: arithmetic((a, b) => a * b),
  // integer operands divide as Java integers do (truncate)
  divide: arithmetic((a, b) => (b === 0 ? null : isInteger(a) && isInteger(b) ? Math.trunc(a / b) : a / b)),
  modulo: arithmetic((a, b) => (b === 0 ? null : a % b)),
  between: (args, ci) => {
    const left = str(first(args[1]));
    const right = str(first(args[2]));
    const greedy = args.length > 3 ? first(args[3]) === true : false;
    if (left === null || right === null) return [];
    return eachSource(args, (s) => {
      const hay = fold(s, ci);
      const l = hay.indexOf(fold(left, ci));
      if (l < 0) return "";
      const from = l + left.length;
      const r = greedy ? hay.lastIndexOf(fold(right, ci)) : hay.indexOf(fold(right, ci), from);
      if (r < from) return "";
      return s.slice(from, r);
    });
  },
  cidrMatch: (args) =>
    eachSource(args, (ip) => {
      for (const list of args.slice(1)) {
        const cidr = str(first(list));
        if (cidr !== null && cidrContains(ip, cidr)) return true;
      }
      return false;
    }),
  concat: (args) => {
    let out = "";
    for (const a of args) {
      const s = str(first(a));
      if (s === null) return [];
      out += s;
    }
    return [out];
  },
  endsWith: (args, ci) => {
    const suffix = str(first(args[1]));
    return suffix === null ? [] : eachSource(args, (s) => fold(s, ci).endsWith(fold(suffix, ci)));
  },
  startsWith: (args, ci) => {
    const prefix = str(first(args[1]));
    return prefix === null ? [] : eachSource(args, (s) => fold(s, ci).startsWith(fold(prefix, ci)));
  },
  stringContains: (args, ci) => {
    const sub = str(first(args[1]));
    return sub === null ? [] : eachSource(args, (s) => fold(s, ci).includes(fold(sub, ci)));
  },
  indexOf: (args, ci) => {
    const sub = str(first(args[1]));
    const start = args.length > 2 ? num(first(args[2])) : 0;
    if (sub === null) return [];
    return eachSource(args, (s) => {
      const r = fold(s, ci).indexOf(fold(sub, ci), Math.max(0, start ?? 0));
      return r < 0 ? null : r;
    });
  },
  length: (args) => eachSource(args, (s) => s.length),
  number: (args) => {
    const base = args.length > 1 ? num(first(args[1])) : 10;
    return eachSource(args, (s) => {
      const t = s.trim();
      if (base === 16) {
        const h = t.replace(/^0x/i, "");
        return /^-?[0-9a-fA-F]+$/.test(h) ? parseInt(h, 16) : null;
      }
      if (base !== 10 && base !== null) return /^-?[0-9a-zA-Z]+$/.test(t) ? parseInt(t, base) : null;
      const n = Number(t);
      return t !== "" && Number.isFinite(n) ? n : null;
    });
  },
  string: (args) => eachSource(args, (s) => s),
  substring: (args) => {
    const start = num(first(args[1]));
    const end = args.length > 2 ? num(first(args[2])) : null;
    if (start === null) return [];
    return eachSource(args, (s) =>
      s.slice(sliceIndex(start, s.length), end === null ? s.length : sliceIndex(end, s.length)),
    );
  },
  wildcard: (args, ci) => {
    const matchers = args
      .slice(1)
      .map((a) => str(first(a)))
      .filter((p): p is string => p !== null)
      .map((p) => compileWildcard(p, ci));
    return eachSource(args, (s) => matchers.some((m) => m(s)));
  },
};
