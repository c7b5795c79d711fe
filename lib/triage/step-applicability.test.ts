import { describe, expect, it } from "vitest";
import { alertSourceOf, applicableMandatorySteps, whyNotApplicable } from "./step-applicability";

describe("steps that fit the alert's source", () => {
  const all = ["investigation.sysmon-21-fields", "investigation.api-consumer-type", "investigation.consumer-command"];

  it("a Sysmon alert never requires the Elastic Defend API step", () => {
    expect(applicableMandatorySteps(all, "sysmon")).toEqual([
      "investigation.sysmon-21-fields",
      "investigation.consumer-command",
    ]);
    expect(whyNotApplicable("investigation.api-consumer-type", "sysmon")).toMatch(/came from Sysmon/);
  });

  it("a Defend alert never requires the Sysmon 21 step", () => {
    expect(applicableMandatorySteps(all, "endpoint-api")).toEqual([
      "investigation.api-consumer-type",
      "investigation.consumer-command",
    ]);
    expect(whyNotApplicable("investigation.consumer-command", "endpoint-api")).toBeNull();
  });

  it("reads the source from the dataset, or from the document", () => {
    expect(alertSourceOf("endpoint.events.api")).toBe("endpoint-api");
    expect(alertSourceOf("windows.sysmon_operational")).toBe("sysmon");
    expect(alertSourceOf(null, { process: { Ext: { api: { name: "IWbemServices::PutInstance" } } } })).toBe(
      "endpoint-api",
    );
  });
});
