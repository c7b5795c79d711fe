import { createHash } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";

/**
 * The Community ID of a flow (version 1, seed 0), as Elasticsearch's `community_id` ingest
 * processor computes it for Sysmon 3 (network connection) in the sysmon_operational pipeline:
 * base64(SHA-1(seed ‖ lower endpoint address ‖ higher endpoint address ‖ protocol ‖ 0 ‖ their
 * ports)), prefixed "1:", the endpoints ordered by address, then port (Community ID spec,
 * github.com/corelight/community-id-spec). Only for port-carrying transports; null otherwise.
 */
const TRANSPORTS: Record<string, number> = { tcp: 6, udp: 17, sctp: 132 };

function ipv6Bytes(ip: string): Buffer | null {
  let text = ip;
  const v4 = text.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (v4) {
    const b = ipv4Bytes(v4[2]);
    if (!b) return null;
    text = `${v4[1]}${b.readUInt16BE(0).toString(16)}:${b.readUInt16BE(2).toString(16)}`;
  }
  const [head, tail, extra] = text.split("::");
  if (extra !== undefined) return null;
  const groups = (s: string | undefined) => (s ? s.split(":") : []);
  const left = groups(head);
  const right = groups(tail);
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const all = [...left, ...Array<string>(fill).fill("0"), ...right];
  if (all.length !== 8 || all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

function ipv4Bytes(ip: string): Buffer | null {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return null;
  return Buffer.from(parts);
}

function addressBytes(ip: string): Buffer | null {
  if (isIPv4(ip)) return ipv4Bytes(ip);
  if (isIPv6(ip)) return ipv6Bytes(ip);
  return null;
}

export function communityId(
  transport: string,
  sourceIp: string,
  sourcePort: number,
  destinationIp: string,
  destinationPort: number,
): string | null {
  const proto = TRANSPORTS[transport.toLowerCase()];
  const src = addressBytes(sourceIp);
  const dst = addressBytes(destinationIp);
  if (proto === undefined || !src || !dst || src.length !== dst.length) return null;
  if (![sourcePort, destinationPort].every((p) => Number.isInteger(p) && p >= 0 && p <= 65535)) return null;
  const order = Buffer.compare(src, dst);
  const forward = order < 0 || (order === 0 && sourcePort <= destinationPort);
  const [a, b, pa, pb] = forward ? [src, dst, sourcePort, destinationPort] : [dst, src, destinationPort, sourcePort];
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(pa, 0);
  ports.writeUInt16BE(pb, 2);
  const input = Buffer.concat([Buffer.from([0, 0]), a, b, Buffer.from([proto, 0]), ports]);
  return `1:${createHash("sha1").update(input).digest("base64")}`;
}
