import type { CopyRows } from "@/lib/services/ingest/copy-rows";

/** What repeat detection needs of a batch: its rows and which of them to store (set here). */
export interface RepeatBatch {
  size: number;
  copy: CopyRows | null;
  /** 1 = store the row; 0 = it repeats an earlier row of the input */
  fresh: Uint8Array;
}

/** A set of fingerprint hashes (non-negative 30-bit integers) in one typed array. */
class HashSet {
  private readonly slots: Int32Array;

  constructor(count: number) {
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2(2 * count + 2))).fill(-1);
  }

  /** Adds `hash`; false when it was there already. */
  add(hash: number): boolean {
    const mask = this.slots.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      if (this.slots[i] === hash) return false;
      if (this.slots[i] === -1) {
        this.slots[i] = hash;
        return true;
      }
    }
  }

  has(hash: number): boolean {
    const mask = this.slots.length - 1;
    for (let i = hash & mask; this.slots[i] !== -1; i = (i + 1) & mask) if (this.slots[i] === hash) return true;
    return false;
  }
}

/**
 * Marks the first of equal events in the batch as the one to store, as ON CONFLICT DO NOTHING in
 * input order keeps it, and returns which rows repeat an event of `earlier` (null: none). The
 * usual batch has no repeat: hashes of the fingerprints show that without a string for each; only
 * when two hashes meet are the fingerprints compared. A function of its own so that the strings
 * die young (see orderedRows).
 */
export function markRepeats(batch: RepeatBatch, earlier: CopyRows | null): Uint8Array | null {
  const hashes = new HashSet(batch.size);
  let met = false;
  for (const h of batch.copy!.fingerprintHashes()) if (!hashes.add(h)) met = true;
  if (earlier && !met) for (const h of earlier.fingerprintHashes()) if (hashes.has(h)) met = true;
  if (!met) {
    batch.fresh.fill(1);
    return null;
  }
  const fingerprints = batch.copy!.fingerprints();
  const seen = new Set<string>();
  fingerprints.forEach((f, i) => {
    if (seen.has(f)) return;
    seen.add(f);
    batch.fresh[i] = 1;
  });
  if (!earlier) return null;
  const before = new Set(earlier.fingerprints());
  let repeats: Uint8Array | null = null;
  fingerprints.forEach((f, i) => {
    if (before.has(f)) (repeats ??= new Uint8Array(batch.size))[i] = 1;
  });
  return repeats;
}
