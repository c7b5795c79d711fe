/**
 * Windows' built-in service identities: every host runs services as them, so two alerts sharing
 * one says nothing about a shared actor. Related alerts and "seen before" never link on them alone.
 * (Well-known SIDs: https://learn.microsoft.com/windows/win32/secauthz/well-known-sids)
 */
const SERVICE_NAMES = new Set([
  "system",
  "localsystem",
  "local system",
  "local service",
  "localservice",
  "network service",
  "networkservice",
  "s-1-5-18",
  "s-1-5-19",
  "s-1-5-20",
]);

/** `SYSTEM`, `NT AUTHORITY\LOCAL SERVICE`, `S-1-5-20`, a name whose domain is `NT AUTHORITY`… */
export function isWellKnownServiceAccount(name: string | null | undefined, domain?: string | null): boolean {
  if (!name) return false;
  const n = name.trim().toLowerCase();
  if (SERVICE_NAMES.has(n)) return true;
  if (n.startsWith("nt authority\\") || n.startsWith("nt-autorität\\")) return true;
  return domain?.trim().toLowerCase() === "nt authority";
}
