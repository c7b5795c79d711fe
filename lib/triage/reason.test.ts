import { describe, expect, it } from "vitest";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { buildReasonMessage, buildReasonMessageUtil } from "./reason";

// Expected strings are Kibana's own (reason_formatters.test.ts, Elastic License 2.0).
const fields = {
  "destination.ip": ["9.99.99.9"],
  "destination.port": ["6789"],
  "event.category": ["test"],
  "file.name": ["sample"],
  "host.name": ["host"],
  "process.name": ["doingThings.exe"],
  "process.parent.name": ["didThings.exe"],
  "source.ip": ["1.11.11.1"],
  "source.port": ["1234"],
  "user.name": ["test-user"],
  "@timestamp": "2021-08-11T02:28:59.101Z",
};
const reason = (f: Record<string, unknown>) =>
  buildReasonMessageUtil({ name: "my-rule", severity: "medium", mergedDoc: { _index: "i", _id: "1", fields: f } });

describe("buildReasonMessageUtil (Kibana's cases)", () => {
  it("full message", () => {
    expect(reason(fields)).toBe(
      "test event with process doingThings.exe, parent process didThings.exe, file sample, source 1.11.11.1:1234, destination 9.99.99.9:6789, by test-user on host created medium alert my-rule.",
    );
  });
  it("multiple categories", () => {
    expect(reason({ ...fields, "event.category": ["item one", "item two"] })).toMatch(
      /^item one, item two event with process/,
    );
  });
  it("host '-' omitted", () => {
    expect(reason({ ...fields, "host.name": ["-"] })).toMatch(/, by test-user created medium alert my-rule\.$/);
  });
  it("user '-' omitted", () => {
    expect(reason({ ...fields, "user.name": ["-"] })).toMatch(/destination 9\.99\.99\.9:6789, on host created/);
  });
  it("destination port missing leaves no comma", () => {
    expect(reason({ ...fields, "destination.port": ["-"] })).toContain(
      "source 1.11.11.1:1234, destination 9.99.99.9 by test-user on host created",
    );
  });
  it("destination missing", () => {
    expect(reason({ ...fields, "destination.ip": ["-"], "destination.port": ["-"] })).toContain(
      "source 1.11.11.1:1234, by test-user",
    );
  });
  it("source port missing", () => {
    expect(reason({ ...fields, "source.port": ["-"] })).toContain(
      "file sample, source 1.11.11.1 destination 9.99.99.9:6789,",
    );
  });
  it("process details missing", () => {
    expect(reason({ ...fields, "process.name": ["-"], "process.parent.name": ["-"] })).toBe(
      "test event with file sample, source 1.11.11.1:1234, destination 9.99.99.9:6789, by test-user on host created medium alert my-rule.",
    );
  });
  it("no field of interest: no 'with'", () => {
    expect(reason({ "event.category": ["test"], "user.name": ["test-user"] })).toBe(
      "test event by test-user created medium alert my-rule.",
    );
  });
  it("no document: empty string", () => {
    expect(buildReasonMessageUtil({ name: "my-rule", severity: "medium" })).toBe("");
  });
});

describe("buildReasonMessage for this rule's alerts", () => {
  it("the brief's example form, from a nested _source document", () => {
    const doc = { event: { category: ["process"] }, user: { name: "john.doe" }, host: { name: "ws-017" } };
    expect(buildReasonMessage(doc, { ruleName: CURRENT_RULE.name, severity: CURRENT_RULE.severity })).toBe(
      "process event by john.doe on ws-017 created medium alert Suspicious WMI Event Subscription Created.",
    );
  });

  it("Sysmon 21 without category or process: just user and host", () => {
    const doc = { "event.code": "21", "user.name": "IEUser", "host.name": "iewin7" };
    expect(buildReasonMessage(doc, { ruleName: "R", severity: "medium" })).toBe(
      "event by IEUser on iewin7 created medium alert R.",
    );
  });

  it("Defend API event with process name: 'with process …,'", () => {
    const doc = {
      event: { category: ["api"] },
      process: { name: "powershell.exe", parent: { name: "cmd.exe" } },
      host: { name: "h" },
    };
    expect(buildReasonMessage(doc, { ruleName: "R", severity: "medium" })).toBe(
      "api event with process powershell.exe, parent process cmd.exe, on h created medium alert R.",
    );
  });

  it("a numeric _source port is dropped as Kibana drops it; the string 'null' too", () => {
    const doc = { source: { ip: "1.2.3.4", port: 445 }, user: { name: "null" } };
    expect(buildReasonMessage(doc, { ruleName: "R", severity: "low" })).toBe(
      "event with source 1.2.3.4 created low alert R.",
    );
  });
});
