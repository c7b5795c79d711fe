import { describe, expect, it } from "vitest";
import {
  formatBindingPath,
  formatWmiKeyPath,
  generateRemediation,
  quotePowerShellSingle,
  quoteWqlString,
} from "./remediation";
import { parseWmiObjectPath } from "./wmi-subscription";

const PS_QUOTES = "'\u2018\u2019\u201a\u201b";

/**
 * Splits a PowerShell script into code outside single-quoted strings and the strings' values (comment lines dropped).
 */
function tokenizeSingleQuoted(whole: string): { code: string; strings: string[] } {
  const script = whole
    .split("\n")
    .filter((l) => !l.startsWith("#"))
    .join("\n");
  let code = "";
  const strings: string[] = [];
  for (let i = 0; i < script.length; i++) {
    if (!PS_QUOTES.includes(script[i])) {
      code += script[i];
      continue;
    }
    let value = "";
    for (i++; i < script.length; i++) {
      if (PS_QUOTES.includes(script[i])) {
        if (PS_QUOTES.includes(script[i + 1] ?? "")) {
          value += script[++i];
          continue;
        }
        break;
      }
      value += script[i];
    }
    if (i >= script.length) throw new Error("unterminated single-quoted string");
    strings.push(value);
    code += "''";
  }
  return { code, strings };
}

/** The value assigned to `$name = '…'` in a script. */
function assigned(script: string, variable: string): string {
  const start = script.indexOf(`$${variable} = `);
  expect(start).toBeGreaterThanOrEqual(0);
  return tokenizeSingleQuoted(script.slice(start + variable.length + 4)).strings[0];
}

/** WQL `Name = '…'` back to the value, undoing backslash escapes. */
function unquoteWql(wql: string): string {
  const m = /^Name = '((?:[^'\\]|\\.)*)'$/s.exec(wql);
  if (!m) throw new Error(`not a WQL Name literal: ${wql}`);
  return m[1].replace(/\\(.)/gs, "$1");
}

const HOSTILE = [
  "evil",
  "O'Brien",
  "it''s",
  "$(Remove-Item C:\\ -Recurse)",
  "`whoami`; calc.exe",
  "a\nb'; Invoke-Expression 'x",
  'quote"in"name',
  "back\\slash\\",
  "\u2019; Stop-Computer; \u2018",
  "${env:TEMP}@(1)",
];

describe("quoting", () => {
  it("doubles single quotes (and typographic ones) for PowerShell", () => {
    expect(quotePowerShellSingle("O'Brien")).toBe("'O''Brien'");
    expect(quotePowerShellSingle("a\u2019b")).toBe("'a\u2019\u2019b'");
    expect(quotePowerShellSingle("$(x)")).toBe("'$(x)'");
  });

  it("escapes backslash and quote for WQL", () => {
    expect(quoteWqlString("a'b\\c")).toBe("'a\\'b\\\\c'");
  });

  it("formats a key path that parses back to the same name", () => {
    for (const name of HOSTILE) {
      expect(parseWmiObjectPath(formatWmiKeyPath("CommandLineEventConsumer", name))?.name).toBe(name);
    }
  });
});

describe("generateRemediation", () => {
  it("names the classes and cmdlets an analyst expects", () => {
    const r = generateRemediation({
      consumerName: "evil",
      consumerClass: "CommandLineEventConsumer",
      filterName: "evilf",
      filterCreatedOnHost: true,
    });
    expect(r.wmi).toContain("Get-WmiObject -Namespace $ns -Class __FilterToConsumerBinding");
    expect(r.wmi).toContain("| Remove-WmiObject");
    expect(r.wmi).toContain(
      "Get-WmiObject -Namespace $ns -Class __EventFilter -Filter $filterWql | Where-Object { $_.Name -ceq $filterName } | Remove-WmiObject",
    );
    expect(r.cim).toContain("Get-CimInstance -Namespace $ns -ClassName __FilterToConsumerBinding");
    expect(r.cim).toContain("| Remove-CimInstance");
    expect(r.verify).not.toMatch(/Remove-/);
    expect(assigned(r.wmi, "ns")).toBe("root\\subscription");
    expect(assigned(r.wmi, "consumerWql")).toBe("Name = 'evil'");
    expect(r.warnings).toEqual([]);
  });

  it.each(HOSTILE)("keeps the hostile name %j inside string literals and round-trips it", (name) => {
    const r = generateRemediation({
      consumerName: name,
      consumerClass: "ActiveScriptEventConsumer",
      filterName: name,
      filterCreatedOnHost: true,
    });
    for (const script of [r.wmi, r.cim, r.verify]) {
      const { code } = tokenizeSingleQuoted(script);
      // nothing of the name reaches code: no expansion, no statement break
      for (const fragment of [
        "Remove-Item",
        "whoami",
        "Invoke-Expression",
        "Stop-Computer",
        "env:TEMP",
        "Brien",
        "slash",
      ]) {
        expect(code).not.toContain(fragment);
      }
      expect(assigned(script, "consumerName")).toBe(name);
      expect(assigned(script, "filterName")).toBe(name);
      expect(unquoteWql(assigned(script, "consumerWql"))).toBe(name);
      expect(unquoteWql(assigned(script, "filterWql"))).toBe(name);
    }
    const binding = parseWmiObjectPath(assigned(r.verify, "bindingPath"));
    expect(binding?.className).toBe("__FilterToConsumerBinding");
    expect(parseWmiObjectPath(binding!.name)?.name).toBe(name);
  });

  it("refuses a class or namespace that is not a plain identifier", () => {
    const r = generateRemediation({
      consumerName: "x",
      consumerClass: "CommandLineEventConsumer; Stop-Computer",
      namespace: "root\\subscription'; calc; '",
    });
    expect(r.warnings).toHaveLength(2);
    expect(assigned(r.wmi, "consumerClass")).toBe("__EventConsumer");
    expect(assigned(r.wmi, "ns")).toBe("root\\subscription");
    expect(r.wmi).not.toContain("Stop-Computer");
  });

  it("without a filter name only the consumer is removed", () => {
    const r = generateRemediation({
      consumerName: "x",
      consumerClass: "CommandLineEventConsumer",
      namespace: "ROOT/subscription",
    });
    expect(r.wmi).not.toContain("__EventFilter");
    expect(assigned(r.wmi, "ns")).toBe("ROOT\\subscription");
  });
});

/** Lines of a script that are code, not comments. */
const codeLines = (script: string) => script.split("\n").filter((l) => !l.startsWith("#"));

describe("the removal script hits the alert's objects, and only them", () => {
  it("compares names case-sensitively, never trimmed: decoys differing by U+00A0, space, zero-width or case", () => {
    const r = generateRemediation({
      consumerName: "evil",
      consumerClass: "CommandLineEventConsumer",
      filterName: "evilf",
      filterCreatedOnHost: true,
      nearMatches: [
        { part: "consumer", nameCodePoints: "evil<U+00A0>", boundCodePoints: "evil", differences: ["whitespace"] },
        {
          part: "filter",
          nameCodePoints: "evil<U+200B>f",
          boundCodePoints: "evilf",
          differences: ["invisible characters"],
        },
      ],
    });
    for (const script of [r.wmi, r.cim, r.verify]) {
      const code = codeLines(script).join("\n");
      // every comparison of a name is exact (-ceq); no case-insensitive -eq against a name
      expect(code).not.toMatch(/\.Name -eq \$/);
      expect(code).not.toMatch(/-eq \$(consumer|filter)Name/);
      expect(code).toMatch(/-ceq \$consumerName/);
      expect(code).toMatch(/-ceq \$filterName/);
      expect(script).toContain('#   - consumer "evil<U+00A0>": a near-match of "evil" (differs by whitespace)');
      expect(script).toContain(
        '#   - filter "evil<U+200B>f": a near-match of "evilf" (differs by invisible characters)',
      );
    }
    // a binding is removed only when both its consumer and its filter are the alert's
    expect(r.wmi).toContain(
      "(Test-Ref $_.Consumer $consumerClass $consumerName) -and (Test-Ref $_.Filter '__EventFilter' $filterName)",
    );
    expect(r.cim).toMatch(/\$_\.Consumer\.Name -ceq \$consumerName .*\) -and \(\$_\.Filter\.Name -ceq \$filterName\)/);
  });

  it("keeps a decoy name with a trailing space or U+00A0 exact in the script", () => {
    for (const name of ["evil ", "evil\u00a0", "\u200bevil", "EVIL"]) {
      const r = generateRemediation({ consumerName: name, consumerClass: "CommandLineEventConsumer", filterName: "f" });
      expect(assigned(r.wmi, "consumerName")).toBe(name);
    }
  });

  it("never deletes Windows' SCM Event Log Filter the attacker bound to, nor every binding of it", () => {
    const r = generateRemediation({
      consumerName: "evil",
      consumerClass: "CommandLineEventConsumer",
      filterName: "SCM Event Log Filter",
      filterCreatedOnHost: true,
    });
    for (const script of [r.wmi, r.cim]) {
      expect(codeLines(script).some((l) => l.includes("__EventFilter") && l.includes("Remove-"))).toBe(false);
      expect(script).toContain('filter "SCM Event Log Filter": a Windows built-in object');
      // bindings are matched on the consumer AND the filter, never the filter alone
      expect(
        codeLines(script).filter((l) => /Filter(\.Name -ceq| '__EventFilter')/.test(l) && /Remove-/.test(l)),
      ).toEqual([]);
    }
    expect(r.leaves[0]).toMatch(/SCM Event Log Filter.*built-in/);
  });

  it("leaves a filter that was not seen being created on the host, and says why", () => {
    const r = generateRemediation({ consumerName: "evil", consumerClass: "CommandLineEventConsumer", filterName: "f" });
    expect(codeLines(r.wmi).some((l) => l.includes("-Class __EventFilter"))).toBe(false);
    expect(r.wmi).toContain('#   - filter "f": it was not seen being created on this host');
    expect(r.verify).not.toContain("-ClassName __EventFilter");
  });

  it("deletes the filter it saw created only when no other binding uses it (checked at run time)", () => {
    const r = generateRemediation({
      consumerName: "evil",
      consumerClass: "CommandLineEventConsumer",
      filterName: "f",
      filterCreatedOnHost: true,
    });
    const i = r.wmi.indexOf("Where-Object { Test-Ref $_.Filter '__EventFilter' $filterName }).Count -gt 0");
    const j = r.wmi.indexOf("-Class __EventFilter -Filter $filterWql");
    expect(i).toBeGreaterThan(0);
    expect(j).toBeGreaterThan(i);
  });

  it("never deletes a built-in consumer; removes only the alert's binding to it", () => {
    const r = generateRemediation({
      consumerName: "BVTConsumer",
      consumerClass: "CommandLineEventConsumer",
      filterName: "BVTFilter",
      filterCreatedOnHost: true,
    });
    expect(codeLines(r.cim).filter((l) => l.includes("Remove-CimInstance"))).toEqual(["$ours | Remove-CimInstance"]);
  });

  it("verifies the binding the alert references by its exact path", () => {
    const r = generateRemediation({
      consumerName: "Atomic",
      consumerClass: "CommandLineEventConsumer",
      filterName: "F\u00a0",
    });
    expect(assigned(r.verify, "bindingPath")).toBe(
      `\\\\.\\root\\subscription:${formatBindingPath("CommandLineEventConsumer", "Atomic", "F\u00a0")}`,
    );
    expect(formatBindingPath("CommandLineEventConsumer", "Atomic", "F")).toBe(
      '__FilterToConsumerBinding.Consumer="CommandLineEventConsumer.Name=\\"Atomic\\"",Filter="__EventFilter.Name=\\"F\\""',
    );
    expect(r.verify).toContain("[wmi]$bindingPath");
    expect(r.verify).not.toMatch(/Remove-/);
  });

  it("an attacker's name cannot end a comment line and become code", () => {
    const r = generateRemediation({
      consumerName: "x\nRemove-Item C:\\ -Recurse\r#",
      consumerClass: "CommandLineEventConsumer",
      filterName: "f\u2028calc",
    });
    for (const line of r.wmi.split("\n")) {
      if (line.startsWith("#")) expect(line).toMatch(/^[\x20-\x7e]*$/);
    }
    expect(r.wmi).toContain('#   consumer: CommandLineEventConsumer "x<U+000A>Remove-Item C:\\ -Recurse<U+000D>#"');
  });
});
