import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@elastic/elasticsearch";
import { expect, test } from "@playwright/test";
import { loginAs } from "../helpers/auth";

const appPort = Number(process.env.E2E_PORT ?? 3210);

test("protected pages answer a signed-out visitor with a 307 to the login page, not a 200", async ({ request }) => {
  for (const path of ["/alerts?status=open", "/cases", "/"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(307);
    expect(response.headers()["location"], path).toMatch(/\/login(\?next=|$)/);
  }
  const login = await request.get("/login", { maxRedirects: 0 });
  expect(login.status()).toBe(200);
  // a forged X-Forwarded-Proto is not believed without TRUSTED_PROXY
  const forged = await request.get("/login", { headers: { "x-forwarded-proto": "https" } });
  expect(forged.headers()["strict-transport-security"]).toBeUndefined();
});

test("pages run only scripts with this response's nonce, and work under that policy", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const response = await page.goto("/login");
  const csp = response!.headers()["content-security-policy"];
  const script = csp.split(/;\s*/).find((d) => d.startsWith("script-src"))!;
  expect(script).toMatch(/'nonce-[^']+' 'strict-dynamic'/);
  expect(script).not.toContain("unsafe-inline");
  const nonce = script.match(/'nonce-([^']+)'/)![1];
  // Next.js put the nonce on its own scripts; nothing else runs
  const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.every((n) => n === nonce)).toBe(true);
  // the app is interactive (hydrated) under the policy: sign in, open the alerts page
  await loginAs(page, "analyst");
  await page.goto("/alerts");
  await page.getByRole("heading", { name: "Alerts" }).click();
  await page.keyboard.press("?");
  await expect(page.getByRole("heading", { name: "Keyboard shortcuts" })).toBeVisible();
  expect(violations).toEqual([]);
  const again = await page.goto("/alerts");
  expect(again!.headers()["content-security-policy"]).not.toBe(csp);
});

test("after sign-in, next goes only to a path on this site", async ({ page }) => {
  await page.goto(`/login?next=${encodeURIComponent("/\\evil.example")}`);
  await page.getByLabel("Email").fill("analyst@demo.local");
  await page.getByLabel("Password").fill("demo-analyst-pass");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toBeVisible();
  expect(new URL(page.url()).origin).toBe(`http://localhost:${appPort}`);
  expect(new URL(page.url()).pathname).toBe("/");
});

test.describe("a form on another port of the same host", () => {
  let server: Server;
  let formUrl = "";
  const tag = `forged-${Date.now()}`;
  test.beforeAll(async () => {
    server = createServer((_req, res) => {
      res.setHeader("content-type", "text/html");
      res.end(`<!doctype html><form method="post" enctype="text/plain"
        action="http://localhost:${appPort}/api/ingest?filename=${tag}.ndjson">
        <input name='{"@timestamp":"2024-01-01T00:00:00Z","x":"' value='"}'>
        <button>Send</button></form>`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    formUrl = `http://localhost:${(server.address() as AddressInfo).port}/`;
  });
  test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("cannot upload as the signed-in analyst; an API token still can", async ({ page }) => {
    await loginAs(page, "analyst");
    await page.goto(formUrl);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes("/api/ingest")),
      page.getByRole("button", { name: "Send" }).click(),
    ]);
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain("cross-origin request refused");
    // the same upload from the app's own origin goes through
    await page.goto("/upload");
    const own = await page.evaluate(
      async (name) =>
        (
          await fetch(`/api/ingest?filename=${name}-own.ndjson`, {
            method: "POST",
            body: '{"@timestamp":"2024-01-01T00:00:00Z"}\n',
          })
        ).status,
      tag,
    );
    expect(own).toBe(200);
  });
});

test("Elastic's own client gets the root info and the product header from /api/es (trailing slash)", async ({
  page,
}) => {
  await loginAs(page, "admin");
  await page.goto("/admin/tokens");
  await page.getByLabel("Token name").fill(`es-client-${Date.now()}`);
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").locator("code").textContent())!.trim();

  const raw = await page.request.get("/api/es/", { headers: { authorization: `Bearer ${token}` }, maxRedirects: 0 });
  expect(raw.status()).toBe(200);
  expect(raw.headers()["x-elastic-product"]).toBe("Elasticsearch");
  const refused = await page.request.get("/api/es/", { headers: { authorization: "Bearer nope" }, maxRedirects: 0 });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["x-elastic-product"]).toBe("Elasticsearch");

  const client = new Client({ node: `http://localhost:${appPort}/api/es/`, auth: { bearer: token } });
  const info = await client.info();
  expect(info.version.number).toMatch(/^8\./);
  expect(info.tagline).toBe("You Know, for Search");
  await client.close();
});
