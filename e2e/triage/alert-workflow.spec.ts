import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { loginAs } from "../helpers/auth";
import { screenshotPath } from "../helpers/screenshot-path";

const atomic = path.resolve(
  process.cwd(),
  "../shared/datasets/evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml",
);
const CONSUMER = "AtomicRedTeam-WMIPersistence-Example";
const INVESTIGATION = [
  "investigation.sysmon-21-fields",
  "investigation.api-consumer-type",
  "investigation.consumer-command",
  "investigation.related-activity",
  "investigation.correlate-alerts",
];
const FP = [
  "fp.admin-tools",
  "fp.software-install",
  "fp.security-management-tools",
  "fp.scheduled-maintenance",
  "fp.in-house-scripts",
];

/** Opens the Atomic Red Team alert from the list (it exists once, however often the file is ingested). */
async function openAtomicAlert(page: Page) {
  await page.goto(`/alerts?consumer=${encodeURIComponent(CONSUMER)}&status=open,acknowledged,closed`);
  const row = page.getByTestId("alert-row").first();
  await expect(row).toBeVisible();
  await row.locator('a[href^="/alerts/"]').first().click();
  await expect(page.getByRole("heading", { name: "Why it matched" })).toBeVisible();
}

test("an analyst investigates the Atomic Red Team alert step by step and closes it as a true positive", async ({
  page,
}) => {
  const run = `e2e-${Date.now()}`;
  await loginAs(page, "analyst");
  const upload = await page.request.post("/api/ingest?filename=atomic.xml", { data: fs.readFileSync(atomic) });
  expect(upload.ok()).toBe(true);

  await openAtomicAlert(page);
  // a previous run may have closed it: start from an open alert
  if ((await page.getByTestId("alert-status").textContent()) === "Closed") {
    await page.getByRole("button", { name: "Reopen" }).click();
    await expect(page.getByTestId("alert-status")).toHaveText("Open");
  }

  // the evidence: consumer name and the command the Sysmon 20 event recorded
  await expect(page.getByTestId("consumer-name")).toHaveText(CONSUMER);
  await expect(page.getByTestId("consumer-command")).toHaveText("C:\\Windows\\System32\\notepad.exe");
  await expect(page.getByTestId("subscription-filter")).toContainText("Win32_PerfFormattedData_PerfOS_System");
  await page.screenshot({ path: screenshotPath("e22-alert-top.png"), fullPage: false });

  for (const id of INVESTIGATION) {
    const card = page.getByTestId(`step-${id}`);
    const box = card.getByRole("checkbox");
    if (!(await box.isChecked())) {
      await box.click();
      await expect(card).toContainText("Saved by Ana Analyst");
    }
    await expect(box).toBeChecked();
    await card.getByRole("textbox").fill(`${run} note for ${id}`);
    await card.getByRole("button", { name: "Save note" }).click();
    await expect(card.getByRole("button", { name: "Save note" })).toBeDisabled();
    await expect(card).toContainText("Saved by Ana Analyst");
  }
  await expect(page.getByTestId("investigation-progress")).toHaveText("5 of 5 done");

  for (const id of FP) {
    const card = page.getByTestId(`step-${id}`);
    await expect(page.getByTestId(`check-${id}`)).toBeVisible();
    await card.getByRole("radio", { name: "No" }).click();
    await expect(card.getByRole("radio", { name: "No" })).toBeChecked();
    await expect(card).toContainText("Saved by Ana Analyst");
  }

  const verdict = page.getByRole("form", { name: "Verdict" });
  await verdict.getByRole("radio", { name: "True positive" }).check();
  await verdict.getByRole("textbox").fill(`${run}: notepad launched by a WMI subscription from Atomic Red Team`);
  await verdict.getByRole("button", { name: "Close alert" }).click();
  await expect(page.getByTestId("alert-status")).toHaveText("Closed");
  await expect(page.getByTestId("verdict")).toContainText("True positive");
  await expect(page.getByTestId("verdict")).toContainText(`${run}: notepad launched`);

  const history = page.getByTestId("history");
  await expect(history.locator("li", { hasText: "closed" }).first()).toContainText("Ana Analyst");
  await expect(history).toContainText(`${run}: notepad launched`);
  for (const id of INVESTIGATION) await expect(history).toContainText(`${run} note for ${id}`);
  await expect(history.getByText("answer:", { exact: false }).first()).toBeVisible();
  await page.screenshot({ path: screenshotPath("e22-alert-full.png"), fullPage: true });
});

test("a stale page saves a different step, and gets a clear conflict message with a reload button on the same one", async ({
  page,
  browser,
}) => {
  await loginAs(page, "analyst");
  await page.request.post("/api/ingest?filename=atomic.xml", { data: fs.readFileSync(atomic) });
  await openAtomicAlert(page);
  const url = page.url();

  const other = await browser.newPage();
  await loginAs(other, "analyst");
  await other.goto(url);
  const otherCard = other.getByTestId("step-response.scan-host");
  await otherCard.getByRole("textbox").fill(`scan started ${Date.now()}`);
  await otherCard.getByRole("button", { name: "Save note" }).click();
  await expect(otherCard).toContainText("Saved by Ana Analyst");
  await other.close();

  // the same step's note, changed by the other page meanwhile, conflicts and says by whom
  const same = page.getByTestId("step-response.scan-host");
  await same.getByRole("textbox").fill("stale write");
  await same.getByRole("button", { name: "Save note" }).click();
  await expect(page.getByTestId("conflict-banner")).toContainText(
    /this step's note was changed by Ana Analyst at .*; reload/,
  );
  await expect(page.getByTestId("conflict-banner").getByRole("button", { name: "Reload" })).toBeVisible();
  // a step the other analyst did not touch still saves from the stale page
  const card = page.getByTestId("step-response.monitor-recreation");
  await card.getByRole("textbox").fill("stale page, other step");
  await card.getByRole("button", { name: "Save note" }).click();
  await expect(page.getByTestId("step-response.monitor-recreation")).toContainText("Saved by Ana Analyst");
  // the other analyst's note was not overwritten
  await page.reload();
  await expect(page.getByTestId("step-response.scan-host").getByRole("textbox")).toHaveValue(/^scan started \d+$/);
});

test("closing before the mandatory steps are done is refused with the steps that are missing", async ({ page }) => {
  const host = `blocked-${Date.now()}`;
  const doc = {
    "@timestamp": new Date().toISOString(),
    event: { code: "21", dataset: "windows.sysmon_operational" },
    host: { name: host },
    user: { name: "tester" },
    winlog: {
      computer_name: host,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"c-${host}\\""`,
      },
    },
  };
  await loginAs(page, "analyst");
  const res = await page.request.post(`/api/ingest?filename=${host}.ndjson`, { data: JSON.stringify(doc) });
  expect((await res.json()).alerts).toBe(1);
  await page.goto(`/alerts?host=${encodeURIComponent(host)}&status=open,acknowledged,closed`);
  await page.getByTestId("alert-row").first().locator('a[href^="/alerts/"]').first().click();

  await page.getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByTestId("alert-status")).toHaveText("Acknowledged");

  const verdict = page.getByRole("form", { name: "Verdict" });
  await verdict.getByRole("button", { name: "Close alert" }).click();
  await expect(verdict.getByRole("alert")).toHaveText("choose a verdict");
  await verdict.getByRole("radio", { name: "False positive" }).check();
  await verdict.getByRole("button", { name: "Close alert" }).click();
  await expect(verdict.getByRole("alert")).toHaveText("a note is required: say why");
  await verdict.getByRole("textbox").fill("looks like a test");
  await verdict.getByRole("button", { name: "Close alert" }).click();
  await expect(verdict.getByRole("alert")).toContainText("complete the mandatory steps first");
  await expect(page.getByTestId("alert-status")).toHaveText("Acknowledged");
  await expect(page.getByTestId("history")).toContainText("acknowledged");
});

test("a lead allowlists a consumer on the alert page and the false-positive check follows", async ({ page }) => {
  const host = `allow-${Date.now()}`;
  const consumer = `c-${host}`;
  const doc = {
    "@timestamp": new Date().toISOString(),
    event: { code: "21", dataset: "windows.sysmon_operational" },
    host: { name: host },
    user: { name: "tester" },
    winlog: {
      computer_name: host,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"${consumer}\\""`,
      },
    },
  };
  await loginAs(page, "lead");
  const res = await page.request.post(`/api/ingest?filename=${host}.ndjson`, { data: JSON.stringify(doc) });
  expect((await res.json()).alerts).toBe(1);
  await page.goto(`/alerts?host=${encodeURIComponent(host)}&status=open,acknowledged,closed`);
  await page.getByTestId("alert-row").first().locator('a[href^="/alerts/"]').first().click();
  await expect(page.getByTestId("check-fp.admin-tools")).toContainText("unknown");

  await page.getByText("Allowlist used by these checks").click();
  const editor = page.getByLabel("Allowlist JSON");
  const original = await editor.inputValue();
  try {
    const entries = JSON.parse(original) as object[];
    await editor.fill(
      JSON.stringify([...entries, { category: "admin", consumerName: consumer, note: "e2e" }], null, 2),
    );
    await page.getByRole("button", { name: "Save allowlist" }).click();
    await expect(page.getByRole("status").filter({ hasText: "allowlist saved" })).toBeVisible();
    await expect(page.getByTestId("check-fp.admin-tools")).toContainText("pass");
  } finally {
    await page.reload();
    await page.getByText("Allowlist used by these checks").click();
    await page.getByLabel("Allowlist JSON").fill(original);
    await page.getByRole("button", { name: "Save allowlist" }).click();
    await expect(page.getByRole("status").filter({ hasText: "allowlist saved" })).toBeVisible();
  }
});
