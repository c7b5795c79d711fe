import { BlockList, isIP } from "node:net";

/**
 * Where a webhook may be sent. An admin types the URL, so it must not become a way into the
 * machines around the app by accident: cloud metadata and link-local addresses are refused
 * always; loopback and private networks unless WEBHOOK_ALLOW_PRIVATE=1 (a receiver on the same
 * host or LAN, and the tests' local receiver). The check is on the address a name resolves to,
 * at save and again at every delivery (a name can be re-pointed after saving: DNS rebinding).
 */

type Range = [address: string, prefix: number, family: "ipv4" | "ipv6", what: string];

const ALWAYS_REFUSED: Range[] = [
  ["169.254.0.0", 16, "ipv4", "a link-local (cloud metadata) address"],
  ["100.100.100.200", 32, "ipv4", "a cloud metadata address"],
  ["fe80::", 10, "ipv6", "a link-local address"],
];

const PRIVATE: Range[] = [
  ["127.0.0.0", 8, "ipv4", "a loopback address"],
  ["0.0.0.0", 8, "ipv4", "a loopback address"], // connecting to 0.0.0.0 reaches this host
  ["10.0.0.0", 8, "ipv4", "a private network address"],
  ["172.16.0.0", 12, "ipv4", "a private network address"],
  ["192.168.0.0", 16, "ipv4", "a private network address"],
  ["::1", 128, "ipv6", "a loopback address"],
  ["::", 128, "ipv6", "a loopback address"],
  ["fc00::", 7, "ipv6", "a private network address"],
];

function describe(ranges: Range[], address: string): string | null {
  const family = isIP(address) === 4 ? "ipv4" : "ipv6";
  for (const [net, prefix, fam, what] of ranges) {
    const list = new BlockList();
    list.addSubnet(net, prefix, fam);
    if (list.check(address, family)) return what;
  }
  return null;
}

/**
 * Why `address` (an IP, as DNS answered) may not receive webhooks, or null when it may.
 * An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is judged as the IPv4 address it carries.
 */
export function refuseTargetAddress(address: string, allowPrivate: boolean): string | null {
  const bare = address.replace(/^\[|\]$/g, "");
  if (isIP(bare) === 0) return `${address} is not an IP address`;
  const mapped = bare.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i)?.[1];
  const ip = mapped ?? bare;
  const always = describe(ALWAYS_REFUSED, ip);
  if (always) return `${ip} is ${always}; webhooks are never sent there`;
  const internal = describe(PRIVATE, ip);
  if (internal && !allowPrivate)
    return `${ip} is ${internal}; webhooks go there only when the server sets WEBHOOK_ALLOW_PRIVATE=1`;
  return null;
}
