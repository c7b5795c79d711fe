/**
 * PowerShell that removes one WMI event subscription (binding, consumer, filter) and proves it is
 * gone. Every name comes from the attacker, so it only ever appears inside PowerShell single-quoted
 * strings (no expansion of `$()`, backticks or variables; `'` doubled) and, inside WQL, as a WQL
 * string literal with `\` and `'` escaped by backslash (WQL "String literals":
 * https://learn.microsoft.com/windows/win32/wmisdk/wql-sql-for-wmi).
 */

export interface RemediationInput {
  consumerName: string;
  /** e.g. CommandLineEventConsumer; anything that is not a plain WMI class name is refused */
  consumerClass: string;
  filterName?: string;
  /** namespace of the subscription objects (the binding's path); default root\subscription */
  namespace?: string;
}

export interface RemediationScripts {
  /** Get-WmiObject … | Remove-WmiObject (Windows PowerShell 5.1) */
  wmi: string;
  /** Get-CimInstance … | Remove-CimInstance (PowerShell 7 and 5.1) */
  cim: string;
  /** read-only check: prints what is left, throws if anything is */
  verify: string;
  /** why an input value was not used as given */
  warnings: string[];
}

const DEFAULT_NAMESPACE = "root\\subscription";

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

/** The key part of a WMI object path as WMI writes it in a binding's Consumer/Filter: `Class.Name="…"`. */
export function formatWmiKeyPath(className: string, name: string): string {
  return `${className}.Name="${name.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

const CLASS_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAMESPACE = /^[A-Za-z0-9_]+([\\/][A-Za-z0-9_]+)*$/;

function prelude(input: RemediationInput, warnings: string[]): string[] {
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
  const lines = [
    "$ErrorActionPreference = 'Stop'",
    `$ns = ${quotePowerShellSingle(namespace.replace(/\//g, "\\"))}`,
    `$consumerClass = ${quotePowerShellSingle(consumerClass)}`,
    `$consumerName = ${quotePowerShellSingle(input.consumerName)}`,
    `$consumerWql = ${quotePowerShellSingle(`Name = ${quoteWqlString(input.consumerName)}`)}`,
    `$consumerKey = ${quotePowerShellSingle(formatWmiKeyPath(consumerClass, input.consumerName))}`,
  ];
  if (input.filterName !== undefined) {
    lines.push(
      `$filterName = ${quotePowerShellSingle(input.filterName)}`,
      `$filterWql = ${quotePowerShellSingle(`Name = ${quoteWqlString(input.filterName)}`)}`,
      `$filterKey = ${quotePowerShellSingle(formatWmiKeyPath("__EventFilter", input.filterName))}`,
    );
  }
  return lines;
}

export function generateRemediation(input: RemediationInput): RemediationScripts {
  const warnings: string[] = [];
  const head = prelude(input, warnings);
  const hasFilter = input.filterName !== undefined;

  // A binding's Consumer/Filter is an object path (`\\HOST\ROOT\subscription:Class.Name="x"` or
  // relative); compare the parsed key, not the string, so host name and case do not matter.
  // When the referenced object is already gone, [wmi] fails; fall back to the path text.
  const wmiBindingMatch = [
    "function Test-BoundTo([string]$path, [string]$class, [string]$name, [string]$key) {",
    "  if (-not $path) { return $false }",
    "  try { $ref = [wmi]$path; return ($ref.Name -eq $name) -and ($class -eq '__EventConsumer' -or $ref.__CLASS -eq $class) }",
    "  catch { return ($path -eq $key) -or $path.EndsWith(':' + $key, [StringComparison]::OrdinalIgnoreCase) }",
    "}",
  ];
  const wmiBindings = `Get-WmiObject -Namespace $ns -Class __FilterToConsumerBinding | Where-Object { (Test-BoundTo $_.Consumer $consumerClass $consumerName $consumerKey)${hasFilter ? " -or (Test-BoundTo $_.Filter '__EventFilter' $filterName $filterKey)" : ""} }`;
  const wmi = [
    "# Remove the WMI event subscription: bindings first, then the consumer and the filter",
    ...head,
    ...wmiBindingMatch,
    `${wmiBindings} | Remove-WmiObject`,
    "Get-WmiObject -Namespace $ns -Class $consumerClass -Filter $consumerWql | Remove-WmiObject",
    ...(hasFilter ? ["Get-WmiObject -Namespace $ns -Class __EventFilter -Filter $filterWql | Remove-WmiObject"] : []),
  ].join("\n");

  // CIM returns the binding's references as CimInstances carrying their key properties
  const cimBindings = `Get-CimInstance -Namespace $ns -ClassName __FilterToConsumerBinding | Where-Object { ($_.Consumer.Name -eq $consumerName -and ($consumerClass -eq '__EventConsumer' -or $_.Consumer.CimSystemProperties.ClassName -eq $consumerClass))${hasFilter ? " -or ($_.Filter.Name -eq $filterName)" : ""} }`;
  const cim = [
    "# Remove the WMI event subscription with CIM cmdlets: bindings first, then the consumer and the filter",
    ...head,
    `${cimBindings} | Remove-CimInstance`,
    "Get-CimInstance -Namespace $ns -ClassName $consumerClass -Filter $consumerWql | Remove-CimInstance",
    ...(hasFilter
      ? ["Get-CimInstance -Namespace $ns -ClassName __EventFilter -Filter $filterWql | Remove-CimInstance"]
      : []),
  ].join("\n");

  const verify = [
    "# Verify: nothing of the subscription is left (read-only)",
    ...head,
    "$left = @()",
    `$left += @(${cimBindings})`,
    "$left += @(Get-CimInstance -Namespace $ns -ClassName $consumerClass -Filter $consumerWql)",
    ...(hasFilter ? ["$left += @(Get-CimInstance -Namespace $ns -ClassName __EventFilter -Filter $filterWql)"] : []),
    "if ($left.Count -eq 0) { 'WMI subscription removed: no binding, consumer or filter left' } else { $left | Format-List *; throw \"$($left.Count) WMI subscription object(s) still present\" }",
  ].join("\n");

  return { wmi, cim, verify, warnings };
}
