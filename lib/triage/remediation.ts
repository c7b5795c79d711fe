/**
 * PowerShell that removes one WMI event subscription (binding, consumer, filter) and proves it is
 * gone. Every name comes from the attacker, so it only ever appears inside PowerShell single-quoted
 * strings (no expansion of `$()`, backticks or variables; `'` doubled) and, inside WQL, as a WQL
 * string literal with `\` and `'` escaped by backslash (WQL "String literals":
 * https://learn.microsoft.com/windows/win32/wmisdk/wql-sql-for-wmi).
 */
import type { RebuiltSubscription } from "./wmi-subscription";

export interface RemediationInput {
  /** the consumer's name exactly as the binding references it */
  consumerName: string;
  /** e.g. CommandLineEventConsumer; anything that is not a plain WMI class name is refused */
  consumerClass: string;
  /** the filter's name exactly as the binding references it */
  filterName?: string;
  /** namespace of the subscription objects (the binding's path); default root\subscription */
  namespace?: string;
  /**
   * The filter was seen being created on this host (Sysmon 19 "Created" or Defend's API event).
   * Only then may the script delete it: a filter the attacker merely reused (Windows' own
   * `SCM Event Log Filter`) stays.
   */
  filterCreatedOnHost?: boolean;
  /** same names but for case, whitespace or invisible characters: named in the comments, never touched */
  nearMatches?: { part: string; nameCodePoints: string; boundCodePoints: string; differences: string[] }[];
}

/**
 * The removal script's input from a rebuilt subscription: names from the binding's own references
 * exactly as written (the joined events carry the same names, by construction). Undefined when
 * no consumer name is known.
 */
export function remediationInput(
  sub: Pick<RebuiltSubscription, "binding" | "consumer" | "filter" | "nearMatches" | "filterSeenCreated">,
  fallback: { consumerName?: string | null; consumerClass?: string | null } = {},
): RemediationInput | undefined {
  const consumerName = sub.binding?.consumer?.name ?? sub.consumer?.name ?? fallback.consumerName ?? undefined;
  if (consumerName === undefined || consumerName === "") return undefined;
  return {
    consumerName,
    consumerClass:
      sub.binding?.consumer?.className ?? sub.consumer?.className ?? fallback.consumerClass ?? "__EventConsumer",
    filterName: sub.binding?.filter?.name ?? sub.filter?.name,
    namespace: sub.binding?.consumer?.namespace,
    filterCreatedOnHost: sub.filterSeenCreated,
    nearMatches: sub.nearMatches,
  };
}

export interface RemediationScripts {
  /** Get-WmiObject … | Remove-WmiObject (Windows PowerShell 5.1) */
  wmi: string;
  /** Get-CimInstance … | Remove-CimInstance (PowerShell 7 and 5.1) */
  cim: string;
  /** read-only check: the alert's binding by its exact path, and what is left; throws if anything is */
  verify: string;
  /** why an input value was not used as given */
  warnings: string[];
  /** what the scripts leave on purpose, and why (also written in their comments) */
  leaves: string[];
}

const DEFAULT_NAMESPACE = "root\\subscription";

/**
 * Windows' own subscription objects (Configuration Manager's SCM Event Log pair; the KernCap.vbs
 * BVT pair of Windows 7 / 2008 R2). WMI compares key values case-insensitively, so these are too.
 * An attacker may bind to them; the script never deletes them.
 */
export const BUILTIN_FILTERS = ["SCM Event Log Filter", "BVTFilter"];
export const BUILTIN_CONSUMERS = ["SCM Event Log Consumer", "BVTConsumer"];

function isBuiltin(list: string[], name: string): boolean {
  return list.some((b) => b.toLowerCase() === name.toLowerCase());
}

/**
 * PowerShell single-quoted literal. PowerShell also treats the typographic quotes U+2018–U+201B as
 * single quotes (about_Quoting_Rules), so they are doubled too or they would end the string.
 */
export function quotePowerShellSingle(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, "$&$&")}'`;
}

/** WQL single-quoted string literal. */
export function quoteWqlString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function escapePathValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

/** The key part of a WMI object path as WMI writes it in a binding's Consumer/Filter: `Class.Name="…"`. */
export function formatWmiKeyPath(className: string, name: string): string {
  return `${className}.Name="${escapePathValue(name)}"`;
}

/** The binding's own relative path: `__FilterToConsumerBinding.Consumer="…",Filter="…"`. */
export function formatBindingPath(consumerClass: string, consumerName: string, filterName: string): string {
  const consumer = escapePathValue(formatWmiKeyPath(consumerClass, consumerName));
  const filter = escapePathValue(formatWmiKeyPath("__EventFilter", filterName));
  return `__FilterToConsumerBinding.Consumer="${consumer}",Filter="${filter}"`;
}

/** Printable ASCII only, so attacker text can never end a comment line and become code. */
function commentSafe(value: string): string {
  return [...value]
    .map((c) => {
      const cp = c.codePointAt(0)!;
      return cp >= 0x20 && cp < 0x7f ? c : `<U+${cp.toString(16).toUpperCase().padStart(4, "0")}>`;
    })
    .join("");
}

const CLASS_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAMESPACE = /^[A-Za-z0-9_]+([\\/][A-Za-z0-9_]+)*$/;

interface Plan {
  namespace: string;
  consumerClass: string;
  deleteConsumer: boolean;
  deleteFilter: boolean;
  header: string[];
  vars: string[];
  leaves: string[];
}

function plan(input: RemediationInput, warnings: string[]): Plan {
  let consumerClass = input.consumerClass;
  if (!CLASS_NAME.test(consumerClass)) {
    warnings.push(
      `consumer class ${JSON.stringify(consumerClass)} is not a WMI class name; using __EventConsumer (all consumer classes)`,
    );
    consumerClass = "__EventConsumer";
  }
  let namespace = input.namespace ?? DEFAULT_NAMESPACE;
  if (!NAMESPACE.test(namespace)) {
    warnings.push(`namespace ${JSON.stringify(namespace)} is not a plain WMI namespace; using ${DEFAULT_NAMESPACE}`);
    namespace = DEFAULT_NAMESPACE;
  }
  namespace = namespace.replace(/\//g, "\\");
  const leaves: string[] = [];
  const deleteConsumer = !isBuiltin(BUILTIN_CONSUMERS, input.consumerName);
  if (!deleteConsumer) {
    leaves.push(
      `consumer "${input.consumerName}": a Windows built-in object; only the alert's binding to it is removed`,
    );
  }
  let deleteFilter = false;
  if (input.filterName !== undefined) {
    if (isBuiltin(BUILTIN_FILTERS, input.filterName)) {
      leaves.push(`filter "${input.filterName}": a Windows built-in object; only the alert's binding to it is removed`);
    } else if (!input.filterCreatedOnHost) {
      leaves.push(
        `filter "${input.filterName}": it was not seen being created on this host, so it may not be the attacker's`,
      );
    } else {
      deleteFilter = true;
    }
  } else {
    leaves.push("filters: the alert names no filter, so every binding of the consumer is removed and no filter is");
  }
  if (deleteFilter)
    leaves.push(`filter "${input.filterName}": left if another binding still uses it (checked at run time)`);
  if (deleteConsumer)
    leaves.push(`consumer "${input.consumerName}": left if another binding still uses it (checked at run time)`);
  for (const m of input.nearMatches ?? []) {
    leaves.push(
      `${m.part} "${m.nameCodePoints}": a near-match of "${m.boundCodePoints}" (differs by ${m.differences.join(", ")}), not the alert's object`,
    );
  }

  const header = [
    "# Names are the alert's binding's own references, exactly as written; compared case-sensitively (-ceq)",
    `#   consumer: ${commentSafe(consumerClass)} "${commentSafe(input.consumerName)}"`,
    ...(input.filterName !== undefined ? [`#   filter:   __EventFilter "${commentSafe(input.filterName)}"`] : []),
    "# What it leaves, and why:",
    ...leaves.map((l) => `#   - ${commentSafe(l)}`),
  ];
  const vars = [
    "$ErrorActionPreference = 'Stop'",
    `$ns = ${quotePowerShellSingle(namespace)}`,
    `$consumerClass = ${quotePowerShellSingle(consumerClass)}`,
    `$consumerName = ${quotePowerShellSingle(input.consumerName)}`,
    `$consumerWql = ${quotePowerShellSingle(`Name = ${quoteWqlString(input.consumerName)}`)}`,
  ];
  if (input.filterName !== undefined) {
    vars.push(
      `$filterName = ${quotePowerShellSingle(input.filterName)}`,
      `$filterWql = ${quotePowerShellSingle(`Name = ${quoteWqlString(input.filterName)}`)}`,
    );
  }
  return { namespace, consumerClass, deleteConsumer, deleteFilter, header, vars, leaves };
}

/**
 * A binding's Consumer/Filter in WMI is an object path (`\\HOST\ROOT\subscription:Class.Name="x"`
 * or relative). Read its class and key from the end — the only unescaped `.Name="` — and compare
 * the name exactly; WMI class names are case-insensitive.
 */
const WMI_REF_TEST = [
  "function Test-Ref([string]$path, [string]$class, [string]$name) {",
  "  if (-not $path) { return $false }",
  '  if ($path -notmatch \'(?s)(?:^|:)([A-Za-z_][A-Za-z0-9_]*)\\.Name="((?:[^"\\\\]|\\\\.)*)"$\') { return $false }',
  "  $refName = $Matches[2] -replace '\\\\(.)', '$1'",
  "  return ($refName -ceq $name) -and ($class -eq '__EventConsumer' -or $Matches[1] -eq $class)",
  "}",
];

export function generateRemediation(input: RemediationInput): RemediationScripts {
  const warnings: string[] = [];
  const p = plan(input, warnings);
  const hasFilter = input.filterName !== undefined;

  const wmiOurs = `(Test-Ref $_.Consumer $consumerClass $consumerName)${hasFilter ? " -and (Test-Ref $_.Filter '__EventFilter' $filterName)" : ""}`;
  const wmi = [
    "# Remove this alert's WMI event subscription (Windows PowerShell 5.1, WMI cmdlets)",
    "# Removes the binding(s) from the alert's consumer to the alert's filter, then what no other binding uses",
    ...p.header,
    ...p.vars,
    ...WMI_REF_TEST,
    `$ours = @(Get-WmiObject -Namespace $ns -Class __FilterToConsumerBinding | Where-Object { ${wmiOurs} })`,
    '"Removing $($ours.Count) binding(s)"',
    "$ours | Remove-WmiObject",
    "$rest = @(Get-WmiObject -Namespace $ns -Class __FilterToConsumerBinding)",
    ...(p.deleteConsumer
      ? [
          "if (@($rest | Where-Object { Test-Ref $_.Consumer $consumerClass $consumerName }).Count -gt 0) { Write-Warning 'Consumer left: another binding still uses it' }",
          "else { Get-WmiObject -Namespace $ns -Class $consumerClass -Filter $consumerWql | Where-Object { $_.Name -ceq $consumerName } | Remove-WmiObject }",
        ]
      : ["# the consumer is a Windows built-in object: not deleted"]),
    ...(p.deleteFilter
      ? [
          "if (@($rest | Where-Object { Test-Ref $_.Filter '__EventFilter' $filterName }).Count -gt 0) { Write-Warning 'Filter left: another binding still uses it' }",
          "else { Get-WmiObject -Namespace $ns -Class __EventFilter -Filter $filterWql | Where-Object { $_.Name -ceq $filterName } | Remove-WmiObject }",
        ]
      : hasFilter
        ? ["# the filter is not deleted (see 'What it leaves, and why' above)"]
        : []),
  ].join("\n");

  // CIM returns the binding's references as CimInstances carrying their key properties
  const cimOurs = `($_.Consumer.Name -ceq $consumerName -and ($consumerClass -eq '__EventConsumer' -or $_.Consumer.CimSystemProperties.ClassName -eq $consumerClass))${hasFilter ? " -and ($_.Filter.Name -ceq $filterName)" : ""}`;
  const cimBindings = `Get-CimInstance -Namespace $ns -ClassName __FilterToConsumerBinding | Where-Object { ${cimOurs} }`;
  const cim = [
    "# Remove this alert's WMI event subscription with CIM cmdlets (PowerShell 7 and 5.1)",
    "# Removes the binding(s) from the alert's consumer to the alert's filter, then what no other binding uses",
    ...p.header,
    ...p.vars,
    `$ours = @(${cimBindings})`,
    '"Removing $($ours.Count) binding(s)"',
    "$ours | Remove-CimInstance",
    "$rest = @(Get-CimInstance -Namespace $ns -ClassName __FilterToConsumerBinding)",
    ...(p.deleteConsumer
      ? [
          "if (@($rest | Where-Object { $_.Consumer.Name -ceq $consumerName -and ($consumerClass -eq '__EventConsumer' -or $_.Consumer.CimSystemProperties.ClassName -eq $consumerClass) }).Count -gt 0) { Write-Warning 'Consumer left: another binding still uses it' }",
          "else { Get-CimInstance -Namespace $ns -ClassName $consumerClass -Filter $consumerWql | Where-Object { $_.Name -ceq $consumerName } | Remove-CimInstance }",
        ]
      : ["# the consumer is a Windows built-in object: not deleted"]),
    ...(p.deleteFilter
      ? [
          "if (@($rest | Where-Object { $_.Filter.Name -ceq $filterName }).Count -gt 0) { Write-Warning 'Filter left: another binding still uses it' }",
          "else { Get-CimInstance -Namespace $ns -ClassName __EventFilter -Filter $filterWql | Where-Object { $_.Name -ceq $filterName } | Remove-CimInstance }",
        ]
      : hasFilter
        ? ["# the filter is not deleted (see 'What it leaves, and why' above)"]
        : []),
  ].join("\n");

  const bindingPath =
    hasFilter && p.consumerClass !== "__EventConsumer"
      ? `\\\\.\\${p.namespace}:${formatBindingPath(p.consumerClass, input.consumerName, input.filterName!)}`
      : undefined;
  const verify = [
    "# Verify (read-only): the alert's binding is gone, looked up by its exact path, and nothing of the",
    "# alert's subscription the removal script deletes is left. Throws if anything is.",
    ...p.header,
    ...p.vars,
    "$left = @()",
    ...(bindingPath
      ? [
          `$bindingPath = ${quotePowerShellSingle(bindingPath)}`,
          "try { $found = [wmi]$bindingPath; if ($found) { $left += $found } }",
          "catch { $e = $_.Exception; while ($e.InnerException) { $e = $e.InnerException }; if (-not ($e -is [System.Management.ManagementException] -and \"$($e.ErrorCode)\" -eq 'NotFound')) { throw } }",
        ]
      : []),
    `$left += @(${cimBindings})`,
    ...(p.deleteConsumer
      ? [
          "$left += @(Get-CimInstance -Namespace $ns -ClassName $consumerClass | Where-Object { $_.Name -ceq $consumerName })",
        ]
      : []),
    ...(p.deleteFilter
      ? [
          "$left += @(Get-CimInstance -Namespace $ns -ClassName __EventFilter | Where-Object { $_.Name -ceq $filterName })",
        ]
      : []),
    "if ($left.Count -eq 0) { 'The alert''s WMI subscription is removed: its binding is gone' } else { $left | Format-List *; throw \"$($left.Count) WMI subscription object(s) of this alert still present\" }",
  ].join("\n");

  return { wmi, cim, verify, warnings, leaves: p.leaves };
}
