import { describe, expect, it } from "vitest";
import { refuseTargetAddress } from "@/lib/webhooks/webhook-target";

describe("refuseTargetAddress", () => {
  it("refuses link-local and cloud metadata addresses even when private targets are allowed", () => {
    for (const address of [
      "169.254.169.254",
      "169.254.0.1",
      "100.100.100.200",
      "fe80::1",
      "febf::1",
      "::ffff:169.254.169.254",
    ])
      for (const allow of [false, true]) expect(refuseTargetAddress(address, allow)).toMatch(/never sent there/);
    expect(refuseTargetAddress("169.254.169.254", true)).toBe(
      "169.254.169.254 is a link-local (cloud metadata) address; webhooks are never sent there",
    );
  });

  it("refuses loopback and private networks unless WEBHOOK_ALLOW_PRIVATE=1, naming the address", () => {
    const internal = [
      "127.0.0.1",
      "127.9.9.9",
      "0.0.0.0",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.10",
      "::1",
      "::",
      "fd00::5",
      "fc00::1",
      "::ffff:10.0.0.1",
      "[::1]",
    ];
    for (const address of internal) {
      expect(refuseTargetAddress(address, false)).toMatch(/WEBHOOK_ALLOW_PRIVATE=1/);
      expect(refuseTargetAddress(address, true)).toBeNull();
    }
    expect(refuseTargetAddress("10.1.2.3", false)).toBe(
      "10.1.2.3 is a private network address; webhooks go there only when the server sets WEBHOOK_ALLOW_PRIVATE=1",
    );
    expect(refuseTargetAddress("::ffff:127.0.0.1", false)).toMatch(/^127\.0\.0\.1 is a loopback address/);
  });

  it("lets public addresses through, including the neighbours of the refused ranges", () => {
    for (const address of [
      "93.184.215.14",
      "172.15.255.255",
      "172.32.0.1",
      "192.169.0.1",
      "100.100.100.201",
      "169.253.255.255",
      "11.0.0.1",
      "2606:4700::1111",
      "fec0::1",
    ])
      expect(refuseTargetAddress(address, false)).toBeNull();
  });

  it("refuses what is not an address", () => {
    expect(refuseTargetAddress("example.com", true)).toMatch(/not an IP address/);
  });
});
