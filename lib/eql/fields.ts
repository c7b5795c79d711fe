/**
 * Field access with Elasticsearch's view of a `_source`: `a.b.c` is the same field
 * whether written nested or with dotted keys (ES "dots in field names" → object
 * expansion), and arrays anywhere on the path make the field multi-valued
 * (ES flattens arrays of objects for non-`nested` mappings).
 */

type Visitor = (value: unknown) => boolean;

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export interface FieldAccessor {
  readonly path: string;
  /** true as soon as `test` holds for one non-null leaf value (array elements flattened) */
  some(doc: unknown, test: Visitor): boolean;
  /** every non-null leaf value, arrays flattened */
  values(doc: unknown): unknown[];
}

/** Precompute every dotted-key candidate of a path so lookups allocate nothing. */
export function compileFieldAccessor(path: string): FieldAccessor {
  const segments = path.split(".");
  const n = segments.length;
  // keys[i][j] = segments[i..j) joined with "."
  const keys: string[][] = [];
  for (let i = 0; i < n; i++) {
    keys.push([]);
    for (let j = 0; j <= n; j++) keys[i].push(j > i ? segments.slice(i, j).join(".") : "");
  }

  const leaf = (v: unknown, test: Visitor): boolean => {
    if (v === null || v === undefined) return false;
    if (Array.isArray(v)) {
      for (const el of v) if (leaf(el, test)) return true;
      return false;
    }
    return test(v);
  };

  const visit = (node: unknown, i: number, test: Visitor): boolean => {
    if (i === n) return leaf(node, test);
    if (Array.isArray(node)) {
      for (const el of node) if (visit(el, i, test)) return true;
      return false;
    }
    if (typeof node !== "object" || node === null) return false;
    const row = keys[i];
    const obj = node as Record<string, unknown>;
    for (let j = i + 1; j <= n; j++) {
      const key = row[j];
      const v = obj[key];
      if (v !== undefined && hasOwn(obj, key) && visit(v, j, test)) return true;
    }
    return false;
  };

  return {
    path,
    some: (doc, test) => visit(doc, 0, test),
    values: (doc) => {
      const out: unknown[] = [];
      visit(doc, 0, (v) => {
        out.push(v);
        return false;
      });
      return out;
    },
  };
}

const accessorCache = new Map<string, FieldAccessor>();

function cachedAccessor(path: string): FieldAccessor {
  let accessor = accessorCache.get(path);
  if (!accessor) {
    accessor = compileFieldAccessor(path);
    if (accessorCache.size < 10_000) accessorCache.set(path, accessor);
  }
  return accessor;
}

/** All non-null values of `path` in `doc` (nested objects, dotted keys, arrays of objects, arrays of values). */
export function getFieldValues(doc: unknown, path: string): unknown[] {
  return cachedAccessor(path).values(doc);
}

/**
 * `getFieldValues(doc, path).find(test)` without building the list: ingest reads a dozen
 * fields of every event and wants only the first scalar of each.
 */
export function findFieldValue(doc: unknown, path: string, test: (value: unknown) => boolean): unknown {
  let found: unknown;
  cachedAccessor(path).some(doc, (v) => {
    if (!test(v)) return false;
    found = v;
    return true;
  });
  return found;
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  // `__proto__` from JSON.parse is an ordinary key; plain assignment would change the prototype
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function mergeInto(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (!hasOwn(obj, key)) {
    setOwn(obj, key, value);
    return;
  }
  const existing = obj[key];
  if (isPlainObject(existing) && isPlainObject(value)) {
    // copy first: `existing` may be an object of the caller's document (never mutate the input)
    const merged: Record<string, unknown> = {};
    for (const k of Object.keys(existing)) setOwn(merged, k, existing[k]);
    for (const [k, v] of Object.entries(value)) mergeInto(merged, k, v);
    setOwn(obj, key, merged);
    return;
  }
  // the same field given twice (`{"a.b":1,"a":{"b":2}}`): Elasticsearch indexes both values
  const asArray = (v: unknown) => (Array.isArray(v) ? v : [v]);
  setOwn(obj, key, [...asArray(existing), ...asArray(value)]);
}

function hasDottedKey(obj: Record<string, unknown>): boolean {
  for (const key in obj) if (key.includes(".")) return true;
  return false;
}

// Returns the same reference when nothing below needs expanding (the common case for documents
// that are already nested), so ingest does not copy every event.
function canonicalizeValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const c = canonicalizeValue(value[i]);
      if (c !== value[i]) (out ??= value.slice())[i] = c;
    }
    return out ?? value;
  }
  if (!isPlainObject(value)) return value;
  if (!hasDottedKey(value)) {
    let out: Record<string, unknown> | null = null;
    for (const key of Object.keys(value)) {
      const c = canonicalizeValue(value[key]);
      if (c === value[key]) continue;
      if (!out) {
        out = {};
        for (const k of Object.keys(value)) setOwn(out, k, value[k]);
      }
      setOwn(out, key, c);
    }
    return out ?? value;
  }
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const v = canonicalizeValue(raw);
    const segments = key.split(".");
    if (segments.length === 1 || segments.some((s) => s === "")) {
      mergeInto(out, key, v);
      continue;
    }
    let nested: unknown = v;
    for (let i = segments.length - 1; i >= 1; i--) {
      const wrapper: Record<string, unknown> = {};
      setOwn(wrapper, segments[i], nested);
      nested = wrapper;
    }
    mergeInto(out, segments[0], nested);
  }
  return out;
}

/**
 * Expand dotted keys into nested objects (merging with existing objects), the stored
 * form in Postgres: `getFieldValues` returns the same values before and after.
 */
export function canonicalizeDocument(doc: Record<string, unknown>): Record<string, unknown> {
  return canonicalizeValue(doc) as Record<string, unknown>;
}
