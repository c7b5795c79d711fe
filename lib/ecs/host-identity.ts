/**
 * Which machine a `host.name` denotes. For Windows events we normalise ourselves, host.name is
 * the event's `<Computer>` as Windows wrote it (often the FQDN, "IEWIN7.corp.local"); Elastic
 * Agent stamps its own documents with the collector's hostname, which is commonly the short,
 * lower-cased name ("iewin7"). Both denote the same machine: the identity is the lower-cased
 * first DNS label. IP addresses are kept whole (their first label is not a name).
 *
 * The same rule is the stored column `host_key` of `event` and `alert`
 * (prisma/migrations/20261203150000_host_identity); a test keeps the two equal.
 */
export function hostIdentity(name: string | null | undefined): string | null {
  if (name === null || name === undefined || name === "") return null;
  if (/^[0-9.]+$/.test(name) || name.includes(":")) return name.toLowerCase();
  return name.split(".")[0].toLowerCase();
}
