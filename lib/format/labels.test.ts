import { describe, expect, it } from "vitest";
import { CURRENT_RULE } from "@/lib/rule/rules";
import {
  alertStatusLabel,
  auditActionLabel,
  auditEntityLabel,
  roleLabel,
  runStatusLabel,
  stepLabel,
  verdictLabel,
} from "./labels";

describe("labels", () => {
  it("says stored values in words", () => {
    expect(verdictLabel("true_positive")).toBe("True positive");
    expect(alertStatusLabel("acknowledged")).toBe("Acknowledged");
    expect(roleLabel("lead")).toBe("Lead");
    expect(auditActionLabel("case.close")).toBe("Case closed");
    expect(verdictLabel(null)).toBe("—");
  });

  it("names every guide step by its label, never its id", () => {
    const steps = [
      ...CURRENT_RULE.guide.investigation,
      ...CURRENT_RULE.guide.falsePositives,
      ...CURRENT_RULE.guide.response,
    ];
    for (const s of steps) expect(stepLabel(s.id)).toBe(s.label);
    expect(stepLabel("investigation.sysmon-21-fields")).not.toContain("investigation.");
  });
});

describe("audit and run labels", () => {
  it("names every audit action the code writes and every entity type in words", () => {
    for (const action of ["ingest.upload", "rule.disable", "user.role", "webhook.create", "training.pack.install"])
      expect(auditActionLabel(action)).not.toContain(".");
    expect(auditEntityLabel("ingest_job")).toBe("Ingest job");
    expect(runStatusLabel("succeeded")).toBe("Succeeded");
    expect(runStatusLabel("pending")).toBe("Pending");
  });
});
