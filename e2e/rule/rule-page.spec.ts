import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { loginAs } from "../helpers/auth";
import { screenshotPath } from "../helpers/screenshot-path";

const wmighost = path.resolve(
  process.cwd(),
  "../shared/datasets/evtx-attack-samples/derived-xml/wmighost_sysmon_20_21_1.evtx.xml",
);

function subscription(tag: string): string {
  return `${JSON.stringify({
    "@timestamp": new Date().toISOString(),
    event: { code: "21", dataset: "windows.sysmon_operational", provider: "Microsoft-Windows-Sysmon", kind: "event" },
    winlog: {
      computer_name: `RULE-${tag}`,
      channel: "Microsoft-Windows-Sysmon/Operational",
      record_id: `rule-${tag}`,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name=\\"rule-${tag}\\""`,
        Filter: ` "\\\\.\\ROOT\\subscription:__EventFilter.Name=\\"rule-${tag}-filter\\""`,
      },
    },
    host: { name: `RULE-${tag}` },
    user: { name: "svc" },
  })}\n`;
}

const atomic = path.resolve(
  process.cwd(),
  "../shared/datasets/evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml",
);

const utcInput = (d: Date) => d.toISOString().slice(0, 16);

test("a lead reads the rule, runs it now, backfills to 100 %, and disables/enables it", async ({ page }) => {
  const tag = `${Date.now()}`;
  await loginAs(page, "lead");
  const ingest = await page.request.post(`/api/ingest?filename=rule-${tag}.ndjson`, { data: subscription(tag) });
  expect(ingest.ok()).toBe(true);
  expect(await ingest.json()).toMatchObject({ stored: 1, alerts: 1 });

  await page.goto("/rule");
  await expect(
    page.getByRole("heading", { level: 1, name: "Suspicious WMI Event Subscription Created" }),
  ).toBeVisible();
  const definition = page.getByRole("definition").filter({ hasText: "every 5m, looks back now-9m" });
  await expect(definition).toBeVisible();
  await expect(page.getByText("Elastic License v2")).toBeVisible();
  await expect(page.getByText("e72f87d0-a70e-4f8d-8443-a6407bc34643")).toBeVisible();
  const subtechnique = page.getByRole("link", {
    name: "Windows Management Instrumentation Event Subscription (T1546.003)",
  });
  await expect(subtechnique).toHaveAttribute("href", "https://attack.mitre.org/techniques/T1546/003/");
  await expect(page.getByRole("link", { name: "Persistence (TA0003)" })).toBeVisible();
  await expect(page.getByTestId("rule-query").locator('[data-token="keyword"]').first()).toHaveText("any");

  // Run now: a result, and a new row on top of the history
  await page.getByRole("button", { name: "Run now" }).click();
  const result = page.getByTestId("run-now-result");
  await expect(result).toContainText("Run finished", { timeout: 30_000 });
  await expect(result).toContainText(/\d+ events scanned · [1-9]\d* matches · \d+ alerts created/);
  const newest = page.getByTestId("run-row").first();
  await expect(newest).toHaveAttribute("data-kind", "manual");
  await expect(newest).toContainText("Lee Lead");
  await expect(newest).toHaveAttribute("data-status", "succeeded");

  // a 15-minute backfill: 3 windows, progressing without a worker, to 100 %
  const end = new Date(Date.now() + 60_000);
  const start = new Date(end.getTime() - 15 * 60_000);
  const form = page.getByRole("form", { name: "Backfill" });
  await form.getByLabel("Start (UTC)").fill(utcInput(start));
  await form.getByLabel("End (UTC)").fill(utcInput(end));
  await expect(form.getByLabel("Capped per window like real runs")).toBeChecked();
  await form.getByRole("button", { name: "Start backfill" }).click();
  await expect(form.getByRole("status")).toContainText("3 windows");
  // earlier backfills are listed too: this one is known by its range
  const range = `${utcInput(start).replace("T", " ")}:00 → ${utcInput(end).replace("T", " ")}:00 UTC`;
  const backfill = page.getByTestId("backfill").filter({ hasText: range });
  await expect(backfill).toHaveCount(1);
  await expect(backfill).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  await expect(backfill.getByTestId("backfill-percent")).toHaveText("100 %");
  await expect(backfill).toContainText("3/3 windows");
  // the history holds the backfill as one row; its windows unfold inside it
  const backfillRow = page.getByTestId("run-row").first();
  await expect(backfillRow).toHaveAttribute("data-kind", "backfill");
  await expect(backfillRow).toContainText("Backfill");
  await expect(page.getByTestId("backfill-window")).toHaveCount(0);
  await backfillRow.getByRole("button", { name: "▸ 3 windows" }).click();
  await expect(page.getByTestId("backfill-window")).toHaveCount(3);
  // the Run now above already alerted this test's event: the backfill's window re-matched it
  await expect(backfillRow.getByTestId("already-alerted")).toHaveText(/^already alerted [1-9]\d*$/);
  await expect(page.getByTestId("backfill-window").getByTestId("already-alerted").first()).toBeVisible();
  await page.screenshot({ path: screenshotPath("rule-page.png"), fullPage: true });

  // a range the action refuses
  await form.getByLabel("Start (UTC)").fill(utcInput(end));
  await form.getByLabel("End (UTC)").fill(utcInput(new Date(end.getTime() - 60_000)));
  await form.getByRole("button", { name: "Start backfill" }).click();
  await expect(form.getByRole("alert")).toHaveText("the end must be after the start");

  // disable, then enable again
  const toggle = page.getByRole("switch", { name: "Rule enabled" });
  await toggle.click();
  await expect(page.getByTestId("rule-state")).toHaveText("disabled");
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expect(page.getByRole("button", { name: "Run now" })).toBeDisabled();
  await toggle.click();
  await expect(page.getByTestId("rule-state")).toHaveText("enabled");
  await expect(page.getByRole("button", { name: "Run now" })).toBeEnabled();
});

test("an analyst sees the rule but no Run now, and the action refuses them", async ({ browser }) => {
  // the lead's Run now request tells us the server action's id
  const leadPage = await (await browser.newContext()).newPage();
  await loginAs(leadPage, "lead");
  await leadPage.goto("/rule");
  const actionRequest = leadPage.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
  await leadPage.getByRole("button", { name: "Run now" }).click();
  const actionId = (await actionRequest).headers()["next-action"];
  await expect(leadPage.getByTestId("run-now-result")).toBeVisible({ timeout: 30_000 });

  const page = await (await browser.newContext()).newPage();
  await loginAs(page, "analyst");
  await page.goto("/rule");
  await expect(
    page.getByRole("heading", { level: 1, name: "Suspicious WMI Event Subscription Created" }),
  ).toBeVisible();
  await expect(page.getByRole("table", { name: "Run history" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Run now" })).toHaveCount(0);
  await expect(page.getByRole("form", { name: "Backfill" })).toHaveCount(0);
  await expect(page.getByRole("switch", { name: "Rule enabled" })).toHaveCount(0);

  const rowsBefore = await page.getByTestId("run-row").first().getAttribute("data-kind");
  const refused = await page.request.post("/rule", {
    headers: {
      "next-action": actionId,
      "content-type": "text/plain;charset=UTF-8",
      accept: "text/x-component",
      origin: new URL(page.url()).origin,
    },
    data: "[]",
  });
  const body = await refused.text();
  expect(body).toContain('"code":"forbidden"');
  expect(body).toContain("your role (analyst) may not rule:run");
  await page.reload();
  expect(await page.getByTestId("run-row").first().getAttribute("data-kind")).toBe(rowsBefore);
});

test("blind spots list WMIGhost's Modified binding with the Operation predicate that failed", async ({ page }) => {
  await loginAs(page, "lead");
  const upload = await page.request.post("/api/ingest?filename=wmighost.xml", { data: readFileSync(wmighost) });
  expect(upload.ok()).toBe(true);
  await page.goto("/rule/blind-spots?host=PC04.example.corp");
  await expect(page.getByRole("heading", { level: 1, name: "Blind spots" })).toBeVisible();
  const group = page.getByRole("link", { name: "Operation is Modified: the rule reads only Created", exact: true });
  await expect(group).toBeVisible();
  await group.click();
  await expect(page).toHaveURL(/reason=/);
  const row = page.getByTestId("blind-spot-row").filter({ hasText: "ProbeScriptFint" }).first();
  await expect(row).toContainText('winlog.event_data.Operation : "Created"');
  await expect(row).toContainText("seen: Modified");
  await page.screenshot({ path: screenshotPath("blind-spots.png"), fullPage: true });
  await row.getByRole("link", { name: "Event" }).click();
  await expect(page.getByTestId("event-json")).toContainText('"Operation": "Modified"');
  await expect(page.getByTestId("event-verdict")).toHaveText("Operation is Modified: the rule reads only Created");
});

test("blind spots group events by subscription: real gaps open, the alerted Atomic subscription folded as covered, long scripts cut", async ({
  page,
}) => {
  await loginAs(page, "lead");
  for (const [name, file] of [
    ["wmighost.xml", wmighost],
    ["atomic.xml", atomic],
  ]) {
    const upload = await page.request.post(`/api/ingest?filename=${name}`, { data: readFileSync(file) });
    expect(upload.ok()).toBe(true);
  }

  // WMIGhost: the script consumer and its Modified binding are one gap, shown open
  await page.goto("/rule/blind-spots?host=PC04.example.corp");
  const ghost = page.getByTestId("blind-spot-subscription").filter({ hasText: "ProbeScriptFint" });
  await expect(ghost).toHaveCount(1);
  await expect(ghost).toHaveAttribute("data-covered", "false");
  await expect(ghost).toHaveAttribute("open", "");
  await expect(ghost.getByTestId("subscription-names")).toHaveText("consumer ProbeScriptFint ← filter ProbeScriptFint");
  await expect(ghost.getByTestId("blind-spot-row")).toHaveCount(2);
  // the script (thousands of characters) is cut, the whole of it one click away
  const whole = ghost.getByRole("button", {
    name: /Show the whole consumer's command or script \(\d[\d,]* characters\)/,
  });
  await expect(whole).toBeVisible();
  await expect(ghost).not.toContainText("GetObject(");
  await whole.click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("var sXmlUrl=");
  await dialog.getByRole("button", { name: "Close" }).click();

  // Atomic Red Team: the binding alerted, so its filter, consumer and deletion are folded away
  await page.goto("/rule/blind-spots?host=MSEDGEWIN10");
  await expect(
    page.getByRole("heading", { name: /^Gaps: \d+ subscriptions? the rule never alerted on$/ }),
  ).toBeVisible();
  const gaps = page.getByTestId("blind-spot-subscription").filter({ hasText: "AtomicRedTeam-WMIPersistence-Example" });
  const fold = page.getByTestId("covered-subscriptions");
  await expect(fold).toContainText(/Covered: \d+ subscriptions? whose binding alerted/);
  await expect(fold).not.toHaveAttribute("open", "");
  const covered = fold
    .getByTestId("blind-spot-subscription")
    .filter({ hasText: "AtomicRedTeam-WMIPersistence-Example" });
  await expect(covered).toHaveCount(1);
  await expect(gaps).toHaveCount(1); // the same element: only inside the fold
  await expect(covered).toHaveAttribute("data-covered", "true");
  await expect(covered.getByTestId("blind-spot-row").first()).toBeHidden();
  await fold.locator("summary").first().click();
  await covered.locator("summary").click();
  await expect(covered.getByTestId("blind-spot-row").filter({ hasText: "Deleted" }).first()).toBeVisible();
  await expect(covered.getByRole("link", { name: "alert 1" })).toHaveAttribute("href", /^\/alerts\//);
  await page.screenshot({ path: screenshotPath("blind-spots-covered.png"), fullPage: true });
});

test("a disabled rule stores uploaded events without alerts; enabled again, the backfill it offers finds them", async ({
  page,
}) => {
  const tag = `off${Date.now()}`;
  await loginAs(page, "lead");
  await page.goto("/rule");
  const toggle = page.getByRole("switch", { name: "Rule enabled" });
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await toggle.click();
  await expect(page.getByTestId("rule-state")).toHaveText("disabled");
  await expect(page.getByTestId("rule-disabled-note")).toContainText("Rule disabled: events stored, no detection");

  try {
    // an upload through the page, and one through the API
    await page.goto("/upload");
    await page.getByTestId("file-input").setInputFiles({
      name: `${tag}.ndjson`,
      mimeType: "application/x-ndjson",
      buffer: Buffer.from(subscription(`${tag}-upload`)),
    });
    const item = page.getByTestId("upload-item").first();
    await expect(item.getByTestId("summary-stored")).toHaveText("1", { timeout: 30_000 });
    await expect(item.getByTestId("summary-alerts-created")).toHaveText("0");
    await expect(item.getByTestId("summary-rule-disabled")).toContainText("rule disabled: events stored, no detection");
    const api = await page.request.post(`/api/ingest?filename=${tag}-api.ndjson`, { data: subscription(`${tag}-api`) });
    expect(await api.json()).toMatchObject({ stored: 1, alerts: 0, ruleDisabled: true });

    await page.goto("/rule");
    await expect(page.getByTestId("rule-disabled-note")).toContainText(
      /disabled since .* · [1-9]\d* event\(s\) stored since/,
    );
    await expect(page.getByRole("button", { name: "Run now" })).toBeDisabled();
  } finally {
    await page.goto("/rule");
    await page.getByRole("switch", { name: "Rule enabled" }).click();
    await expect(page.getByTestId("rule-state")).toHaveText("enabled");
  }

  // the offer names the period; the form is filled in with the stored events' times
  await expect(page.getByTestId("backfill-offer")).toContainText(
    /was disabled from .* to .*: [1-9]\d* event\(s\) stored then/,
  );
  const form = page.getByRole("form", { name: "Backfill" });
  const start = Date.parse(`${await form.getByLabel("Start (UTC)").inputValue()}Z`);
  const end = Date.parse(`${await form.getByLabel("End (UTC)").inputValue()}Z`);
  expect(end).toBeGreaterThan(start);
  expect(end - start).toBeLessThan(60 * 60_000);
  await form.getByRole("button", { name: "Start backfill" }).click();
  await expect(form.getByRole("status")).toContainText("Backfill started");
  const backfill = page.getByTestId("backfill").first();
  await expect(backfill).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });

  // both events alerted now, and the offer is gone
  for (const host of [`RULE-${tag}-upload`, `RULE-${tag}-api`]) {
    await page.goto(`/alerts?q=${host}`);
    await expect(page.getByRole("row").filter({ hasText: host })).toHaveCount(1);
  }
  await page.goto("/rule");
  await expect(page.getByTestId("backfill-offer")).toHaveCount(0);
});
