import { describe, expect, it } from "vitest";
import { formatWmiKeyPath, generateRemediation, quotePowerShellSingle, quoteWqlString } from "./remediation";
import { parseWmiObjectPath } from "./wmi-subscription";

const PS_QUOTES = "'\u2018\u2019\u201a\u201b";

/** Splits a PowerShell script into code outside single-quoted strings and the strings' values. */
function tokenizeSingleQuoted(script: string): { code: string; strings: string[] } {
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
    });
    expect(r.wmi).toContain("Get-WmiObject -Namespace $ns -Class __FilterToConsumerBinding");
    expect(r.wmi).toContain("| Remove-WmiObject");
    expect(r.wmi).toContain("Get-WmiObject -Namespace $ns -Class __EventFilter -Filter $filterWql | Remove-WmiObject");
    expect(r.cim).toContain("Get-CimInstance -Namespace $ns -ClassName __FilterToConsumerBinding");
    expect(r.cim).toContain("| Remove-CimInstance");
    expect(r.verify).not.toMatch(/Remove-/);
    expect(assigned(r.wmi, "ns")).toBe("root\\subscription");
    expect(assigned(r.wmi, "consumerWql")).toBe("Name = 'evil'");
    expect(r.warnings).toEqual([]);
  });

  it.each(HOSTILE)("keeps the hostile name %j inside string literals and round-trips it", (name) => {
    const r = generateRemediation({ consumerName: name, consumerClass: "ActiveScriptEventConsumer", filterName: name });
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
      expect(parseWmiObjectPath(assigned(script, "consumerKey"))?.name).toBe(name);
    }
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
