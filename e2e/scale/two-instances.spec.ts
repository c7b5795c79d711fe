import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { loginAs } from "../helpers/auth";

/**
 * Two app instances on one PostgreSQL, as behind a load balancer: the test's own server and a
 * second `next start` of the same build on a free port, with the same DATABASE_URL and
 * BETTER_AUTH_SECRET. A session made on one is honoured by the other; the same file uploaded
 * through both at once and Run now on both at once give one alert; a status change on one makes
 * the other's page stale (version check), never a silent overwrite.
 */
const PORT_A = Number(process.env.E2E_PORT ?? 3210);
let B = "";
const ATOMIC = fs.readFileSync(
  path.resolve(
    process.cwd(),
    "../shared/datasets/evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml",
  ),
  "utf8",
);

let second: ChildProcess | null = null;

/** A port nobody listens on now (the system picks it), so parallel test runs never meet. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

test.beforeAll(async () => {
  const port = await freePort();
  B = `http://localhost:${port}`;
  second = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", WMI_SCHEDULER_DISABLED: "1" },
    stdio: "ignore",
  });
  await expect
    .poll(async () => (await fetch(`${B}/api/health`).catch(() => null))?.status ?? 0, { timeout: 120_000 })
    .toBe(200);
});

test.afterAll(async () => {
  second?.kill("SIGTERM");
});

test("two instances share sessions, never duplicate alerts, and never lose an update", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const host = `SCALE${Date.now().toString(36).toUpperCase()}`;
  // its own host and consumer, so no other test's Atomic Red Team alert is this one
  const xml = ATOMIC.replaceAll("MSEDGEWIN10", host).replaceAll(
    "AtomicRedTeam-WMIPersistence-Example",
    `${host}-consumer`,
  );
  const events = (xml.match(/<Event xmlns/g) ?? []).length;

  // signed in on A, the session is honoured by B (sessions live in PostgreSQL)
  await loginAs(page, "lead");
  await page.goto(`${B}/alerts`);
  await expect(page.getByTestId("current-user")).toContainText("Lee Lead");

  // the same file through both instances at once: every event stored once, one alert
  const [ra, rb] = await Promise.all([
    page.request.post(`/api/ingest?filename=${host}-a.xml`, { data: xml }),
    page.request.post(`${B}/api/ingest?filename=${host}-b.xml`, { data: xml }),
  ]);
  expect(ra.status()).toBe(200);
  expect(rb.status()).toBe(200);
  const [a, b] = [await ra.json(), await rb.json()];
  expect(a.stored + b.stored).toBe(events);
  expect(a.duplicates + b.duplicates).toBe(events);
  expect(a.alerts + b.alerts).toBe(1);

  // Run now on both at once finds the same event again and creates nothing new
  const rule = await browser.newPage();
  await rule.context().addCookies(await page.context().cookies());
  await Promise.all([page.goto("/rule"), rule.goto(`${B}/rule`)]);
  await Promise.all([
    page.getByRole("button", { name: "Run now" }).click(),
    rule.getByRole("button", { name: "Run now" }).click(),
  ]);
  await expect(page.getByTestId("run-now-result")).toBeVisible();
  await expect(rule.getByTestId("run-now-result")).toBeVisible();

  const list = `/alerts?host=${encodeURIComponent(host)}&status=open,acknowledged,closed`;
  await page.goto(`${B}${list}`);
  await expect(page.getByTestId("alert-row")).toHaveCount(1);

  // the alert open on both instances; A acknowledges, B's page is stale and is told so
  await page.getByTestId("alert-row").first().locator('a[href^="/alerts/"]').first().click();
  await expect(page.getByRole("heading", { name: "Why it matched" })).toBeVisible();
  const alertPath = new URL(page.url()).pathname;
  await rule.goto(`http://localhost:${PORT_A}${alertPath}`);
  await expect(rule.getByRole("heading", { name: "Why it matched" })).toBeVisible();
  await rule.getByRole("button", { name: "Acknowledge" }).click();
  await expect(rule.getByTestId("alert-status")).toHaveText("Acknowledged");

  // the status this page shows is stale: acknowledging again is a conflict naming who acknowledged
  await page.getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByTestId("conflict-banner")).toContainText(/this alert was changed by Lee Lead at .*; reload/);
  // a note is another field than the status: it saves from the same stale page
  const card = page.getByTestId("step-response.scan-host");
  await card.getByRole("textbox").fill("written on a stale page");
  await card.getByRole("button", { name: "Save note" }).click();
  await expect(page.getByTestId("step-response.scan-host")).toContainText("Saved by");
  // nothing lost: both the acknowledgement and the note are there after a reload
  await page.reload();
  await expect(page.getByTestId("alert-status")).toHaveText("Acknowledged");
  await expect(page.getByTestId("step-response.scan-host").getByRole("textbox")).toHaveValue("written on a stale page");
  await rule.close();
});
