import { BlockList, isIP } from "node:net";

/**
 * Who is on the other end, as far as forwarded headers can be believed. `next start` keeps a
 * client's own `X-Forwarded-For` and only fills it in when absent, so without a reverse proxy
 * that overwrites or appends to it, the header is whatever the client chose: it is read only when
 * TRUSTED_PROXY names the proxies, walking from the right (the entry the nearest proxy appended)
 * past the trusted ones, as nginx's realip module and better-auth's `trustedProxies` do.
 */

export type AddressRange = { address: string; prefix: number; family: "ipv4" | "ipv6" };

/** `10.0.0.1` or `10.0.0.0/8` (IPv4 or IPv6); null when it is neither. */
export function parseAddressRange(value: string): AddressRange | null {
  const [address, prefixText, extra] = value.trim().split("/");
  if (extra !== undefined) return null;
  const version = isIP(address);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

export class TrustedProxies {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const range = parseAddressRange(entry);
      if (!range) throw new Error(`TRUSTED_PROXY: "${entry}" is not an IP address or CIDR range`);
      this.list.addSubnet(range.address, range.prefix, range.family);
    }
    this.size = entries.length;
  }

  has(address: string): boolean {
    const version = isIP(address);
    if (version === 0) return false;
    const mapped = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i)?.[1];
    if (mapped) return this.list.check(mapped, "ipv4") || this.list.check(address, "ipv6");
    return this.list.check(address, version === 4 ? "ipv4" : "ipv6");
  }
}

/**
 * The client's address from `X-Forwarded-For`, or null when no proxy is trusted (the header is
 * then the client's own claim) or the chain holds something that is not an address.
 */
export function clientAddress(headers: Headers, proxies: TrustedProxies): string | null {
  if (proxies.size === 0) return null;
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (let i = chain.length - 1; i >= 0; i--) {
    if (isIP(chain[i]) === 0) return null;
    if (!proxies.has(chain[i])) return chain[i].toLowerCase();
  }
  return null;
}

/** Whether the request reached the proxy over HTTPS; believed only behind a trusted proxy. */
export function forwardedHttps(headers: Headers, proxies: TrustedProxies): boolean {
  if (proxies.size === 0) return false;
  const proto = (headers.get("x-forwarded-proto") ?? "").split(",")[0].trim().toLowerCase();
  return proto === "https";
}
