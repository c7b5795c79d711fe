import { describe, expect, it } from "vitest";
import { hostIdentity } from "./host-identity";

describe("hostIdentity", () => {
  it("lets a file's FQDN Computer and Agent's short lower-cased host.name meet", () => {
    expect(hostIdentity("IEWIN7.corp.local")).toBe("iewin7");
    expect(hostIdentity("iewin7")).toBe(hostIdentity("IEWIN7"));
    expect(hostIdentity("WS-017.example.org")).toBe("ws-017");
  });

  it("keeps different machines apart and IP addresses whole", () => {
    expect(hostIdentity("iewin7")).not.toBe(hostIdentity("iewin8"));
    expect(hostIdentity("10.0.0.5")).toBe("10.0.0.5");
    expect(hostIdentity("fe80::1")).toBe("fe80::1");
    expect(hostIdentity("")).toBeNull();
    expect(hostIdentity(null)).toBeNull();
  });
});
