import { describe, expect, it } from "vitest";
import { communityId } from "./community-id";

// Known answers: the network.community_id of Sysmon 3 events in Elastic's published pipeline
// test pairs (elastic/integrations a06177fe, sysmon_operational test-events.json-expected.json)
describe("communityId", () => {
  it("gives the pipeline's answers for IPv4 and IPv6 flows", () => {
    expect(communityId("udp", "89.160.20.156", 137, "89.160.20.156", 137)).toBe("1:fbQ9BbXiy01VWluiIQp2GM9FUAU=");
    expect(communityId("udp", "fe80:0:0:0:e488:b85c:5262:ff86", 55542, "ff02:0:0:0:0:0:1:3", 5355)).toBe(
      "1:4DSgubObvMEI9IKNWPDqltrux+k=",
    );
    expect(
      communityId(
        "udp",
        "2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6",
        55542,
        "2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6",
        5355,
      ),
    ).toBe("1:zjVE29ipqvMTvzEUbTYQ6tGBM08=");
  });

  it("is the same in both directions and for any spelling of an IPv6 address", () => {
    const out = communityId("tcp", "10.0.0.1", 49152, "10.0.0.2", 443);
    expect(communityId("TCP", "10.0.0.2", 443, "10.0.0.1", 49152)).toBe(out);
    expect(communityId("udp", "ff02::1:3", 5355, "fe80::e488:b85c:5262:ff86", 55542)).toBe(
      "1:4DSgubObvMEI9IKNWPDqltrux+k=",
    );
  });

  it("has no answer without ports, for unknown transports or bad addresses", () => {
    expect(communityId("icmp", "10.0.0.1", 0, "10.0.0.2", 0)).toBeNull();
    expect(communityId("udp", "10.0.0.1", 1, "fe80::1", 2)).toBeNull();
    expect(communityId("udp", "not-an-ip", 1, "10.0.0.2", 2)).toBeNull();
    expect(communityId("udp", "10.0.0.1", 70000, "10.0.0.2", 2)).toBeNull();
  });
});
