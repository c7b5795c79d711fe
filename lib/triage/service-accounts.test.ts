import { describe, expect, it } from "vitest";
import { isWellKnownServiceAccount } from "./service-accounts";

describe("isWellKnownServiceAccount", () => {
  it("knows SYSTEM, LOCAL SERVICE, NETWORK SERVICE, their SIDs and NT AUTHORITY names, in any case", () => {
    for (const name of [
      "SYSTEM",
      "system",
      "LOCAL SERVICE",
      "NETWORK SERVICE",
      "LocalSystem",
      "S-1-5-18",
      "S-1-5-19",
      "s-1-5-20",
      "NT AUTHORITY\\SYSTEM",
      "NT AUTHORITY\\NETWORK SERVICE",
      "nt authority\\iusr",
    ])
      expect(isWellKnownServiceAccount(name), name).toBe(true);
    expect(isWellKnownServiceAccount("IUSR", "NT AUTHORITY")).toBe(true);
  });

  it("does not take people's or other accounts for service accounts", () => {
    for (const name of [
      "IEUser",
      "CORP\\admin",
      "systemadmin",
      "S-1-5-21-1004336348-1177238915-682003330-512",
      "",
      null,
    ])
      expect(isWellKnownServiceAccount(name), String(name)).toBe(false);
    expect(isWellKnownServiceAccount("svc-backup", "CORP")).toBe(false);
  });
});
