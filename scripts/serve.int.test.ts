import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("npm start with a DATABASE_URL that cannot be reached", () => {
  it("exits with a clear message instead of falling back to the embedded database", () => {
    const result = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/serve.ts"], {
      env: { ...process.env, DATABASE_URL: "postgresql://nobody:secret@127.0.0.1:1/nowhere", PORT: "3999" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/cannot reach the database at postgresql:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/nowhere/);
    expect(result.stdout).not.toMatch(/embedded Postgres/);
  });
});
