import os from "node:os";
import path from "node:path";

/** Where a spec keeps a screenshot for people to look at: the OS temp dir, never a fixed path. */
export function screenshotPath(name: string): string {
  return path.join(os.tmpdir(), "wmi-triage-e2e", name);
}
