import { describe, expect, it } from "vitest";
import { convertNxlogRecord, eventTimeToUtc, keywordsHex, parseSysmonMessage } from "@/lib/ingest/nxlog-to-winevent";

describe("NXLog field mapping", () => {
  it("turns NXLog's signed 64-bit Keywords back into Windows' hex mask, from the raw digits", () => {
    expect(keywordsHex(-9223372036854775808, '{"Keywords":-9223372036854775808}')).toBe("0x8000000000000000");
    // -9214364837600034816 is not exactly representable as a double: only the raw text gives the right mask
    expect(keywordsHex(-9214364837600034816, '{"EventID":4688,"Keywords":-9214364837600034816}')).toBe(
      "0x8020000000000000",
    );
    expect(keywordsHex(0)).toBe("0x0");
  });

  it("converts local EventTime to UTC with the shipper's receipt offset", () => {
    expect(eventTimeToUtc("2019-12-04 23:47:55", "2019-12-04 23:47:56", "2019-12-05T04:47:56.293Z")).toBe(
      "2019-12-05T04:47:55.000Z",
    );
    expect(eventTimeToUtc("2020-09-01 21:43:49")).toBe("2020-09-01T21:43:49.000Z");
    expect(eventTimeToUtc("yesterday")).toBeUndefined();
  });

  it("separates NXLog's own fields from EventData; NXLog 4 ProcessID is the execution pid, NXLog 5 ProcessID is data", () => {
    const old = convertNxlogRecord({
      EventID: 5156,
      Channel: "Security",
      Hostname: "H",
      ProcessID: 4,
      ThreadID: 8,
      EventType: "AUDIT_SUCCESS",
      SourceModuleType: "im_msvistalog",
      Application: "x",
    });
    expect(old.event.system).toMatchObject({
      eventId: 5156,
      processId: 4,
      threadId: 8,
      computer: "H",
      channel: "Security",
    });
    expect(old.event.eventData).toEqual({ Application: "x" });
    const v5 = convertNxlogRecord({
      EventID: 5156,
      Channel: "Security",
      Hostname: "H",
      ExecutionProcessID: 4,
      ProcessID: "1234",
      EventReceivedTime: "2020-01-01 00:00:00",
    });
    expect(v5.event.system.processId).toBe(4);
    expect(v5.event.eventData).toEqual({ ProcessID: "1234" });
  });

  it("rejects a record without EventID by name", () => {
    expect(() => convertNxlogRecord({ Channel: "Security", Hostname: "H" })).toThrow("EventID is missing");
  });

  it("rejects a System field that is an object or array by name instead of writing [object Object]", () => {
    expect(() => convertNxlogRecord({ EventID: 1, Channel: "Security", Hostname: { x: 1 } })).toThrow(
      'Hostname is not a single value ({"x":1})',
    );
    expect(() => convertNxlogRecord({ EventID: 1, Channel: ["a"], Hostname: "H" })).toThrow(
      'Channel is not a single value (["a"])',
    );
  });

  it("reads Sysmon's rendered message back into fields, multi-line values included", () => {
    expect(
      parseSysmonMessage(
        'WmiEventConsumer activity detected:\r\nRuleName: -\r\nName:  "X"\r\nDestination:  "line1\r\nline2"',
      ),
    ).toEqual({
      RuleName: "-",
      Name: ' "X"',
      Destination: ' "line1\r\nline2"',
    });
  });
});
