// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): the checksum libyal's EVTX format
// documentation specifies for the file header, the chunk header and the chunk's event records.
const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** Continues a CRC-32 over `bytes[start, end)`; pass the previous result as `crc` to chain ranges. */
export function updateCrc32(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = ~crc >>> 0;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

export function computeCrc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return updateCrc32(0, bytes, start, end);
}
