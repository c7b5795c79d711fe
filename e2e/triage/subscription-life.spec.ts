import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { loginAs } from "../helpers/auth";
import { screenshotPath } from "../helpers/screenshot-path";

const atomic = path.resolve(
  process.cwd(),
  "../shared/datasets/evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml",
);
const CONSUMER = "AtomicRedTeam-WMIPersistence-Example";

test("the Atomic Red Team alert shows the binding deleted 0.4 s later and that removal looks done", async ({
  page,
}) => {
  await loginAs(page, "analyst");
  const upload = await page.request.post("/api/ingest?filename=atomic.xml", { data: fs.readFileSync(atomic) });
  expect(upload.ok()).toBe(true);
  await page.goto(`/alerts?consumer=${encodeURIComponent(CONSUMER)}&status=open,acknowledged,closed`);
  await page.getByTestId("alert-row").first().locator('a[href^="/alerts/"]').first().click();

  await expect(page.getByTestId("subscription-state")).toContainText(
    /binding created 2019-07-19 14:57:02\.\d{3}Z and deleted 0\.4 s later; consumer and filter deleted too — nothing of it is present/,
  );
  const life = page.getByTestId("subscription-life");
  await expect(life.locator("tbody tr")).toHaveCount(6);
  await expect(life.locator("[data-operation=Deleted]")).toHaveCount(3);
  await expect(page.getByTestId("removal-done")).toContainText("Removal looks already done");
  // the host timeline carries the Operation, Deleted rows stand out
  await expect(page.getByTestId("timeline").locator("[data-operation=Deleted]").first()).toBeVisible();
  // a step that cannot apply to a Sysmon alert is shown as such and not required
  const api = page.getByTestId("step-investigation.api-consumer-type");
  await expect(api.getByTestId("step-not-applicable")).toBeVisible();
  await expect(api).not.toContainText("required to close");
  await page.screenshot({ path: screenshotPath("h17-life.png"), fullPage: false });
});

test("bulk close: the reason is picked with c then a number, Enter alone closes nothing, what cannot close is named", async ({
  page,
}) => {
  const run = `bulk-${Date.now()}`;
  await loginAs(page, "analyst");
  // dozens of alerts across hosts, shaped like the real Sysmon 21 events (SCCM-like benign consumers)
  const docs = Array.from({ length: 24 }, (_, i) => ({
    "@timestamp": new Date(Date.UTC(2031, 0, 5, 9, i)).toISOString(),
    event: { code: "21", dataset: "windows.sysmon_operational" },
    host: { name: `${run}-ws${i % 6}` },
    user: { name: "SYSTEM" },
    winlog: {
      computer_name: `${run}-ws${i % 6}`,
      event_data: {
        Operation: "Created",
        User: "NT AUTHORITY\\SYSTEM",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"SCCM-Inventory-${run}-${i}\\""`,
        Filter: ` "\\\\\\\\.\\\\ROOT\\\\subscription:__EventFilter.Name=\\"SCCM-Filter-${i}\\""`,
      },
    },
  }));
  const ingest = await page.request.post(`/api/ingest?filename=${run}.ndjson`, {
    data: docs.map((d) => JSON.stringify(d)).join("\n"),
  });
  expect(ingest.ok()).toBe(true);

  await page.goto(`/alerts?q=${encodeURIComponent(`SCCM-Inventory-${run}`)}&status=open&size=25`);
  await expect(page.getByTestId("alerts-total")).toHaveText("24 alert(s)");
  // the first row: open the dialog with c, Enter does nothing without a reason
  await page
    .getByTestId("alert-row")
    .first()
    .click({ position: { x: 200, y: 5 } });
  await page.keyboard.press("c");
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("radio", { checked: true })).toHaveCount(0);
  await expect(dialog.getByRole("button", { name: "Close alerts" })).toBeDisabled();
  await page.keyboard.press("Enter");
  await expect(dialog).toBeVisible();
  await page.keyboard.press("2");
  await expect(dialog.getByRole("radio", { name: /Benign positive/ })).toBeChecked();
  await page.keyboard.press("Escape");

  // select three, close them as benign: none has its mandatory steps done, each is named
  const rows = page.getByTestId("alert-row");
  for (let i = 0; i < 3; i++) await rows.nth(i).getByRole("checkbox").check();
  await page.getByTestId("bulk-bar").getByRole("button", { name: "Close…" }).click();
  await dialog.getByRole("radio", { name: /Benign positive/ }).check();
  await dialog.getByRole("textbox").fill("SCCM hardware inventory");
  await dialog.getByRole("button", { name: "Close alerts" }).click();
  const failures = page.getByTestId("bulk-failures").locator("li");
  await expect(failures).toHaveCount(3);
  await expect(failures.first()).toContainText(
    new RegExp(
      `${run}-ws\\d · SCCM-Inventory-${run}-\\d+ · 2031-01-05 09:\\d\\d:00Z: complete the mandatory steps first`,
    ),
  );
});
