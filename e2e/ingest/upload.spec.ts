import path from "node:path";
import { expect, test } from "@playwright/test";
import { loginAs } from "../helpers/auth";

const datasets = path.resolve(process.cwd(), "../shared/datasets");
const atomic = path.join(datasets, "evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml");
const wmighost = path.join(datasets, "evtx-attack-samples/derived-xml/wmighost_sysmon_20_21_1.evtx.xml");

test("an analyst uploads real event files, sees counts and alerts, and a second upload stores nothing twice", async ({
  page,
}) => {
  await loginAs(page, "analyst");
  await page.goto("/upload");
  await page.getByTestId("file-input").setInputFiles([atomic, wmighost]);

  const items = page.getByTestId("upload-item");
  const atomicItem = items.filter({ hasText: "PanacheSysmon_vs_AtomicRedTeam01" }).first();
  await expect(atomicItem.getByTestId("upload-summary")).toBeVisible({ timeout: 30_000 });
  await expect(atomicItem.getByTestId("summary-received")).toHaveText("565");
  const firstStored = Number(await atomicItem.getByTestId("summary-stored").textContent());
  const firstDuplicates = Number(await atomicItem.getByTestId("summary-duplicates").textContent());
  expect(firstStored + firstDuplicates).toBe(565);
  await expect(atomicItem).toContainText("format windows-xml");
  const wmighostItem = items.filter({ hasText: "wmighost_sysmon_20_21_1" }).first();
  await expect(wmighostItem.getByTestId("summary-received")).toHaveText("4", { timeout: 30_000 });
  await expect(wmighostItem.getByTestId("summary-alerts-created")).toHaveText("0");
  // the rule runs in the worker after the upload's answer; the page shows when it finished
  await expect(atomicItem.getByTestId("summary-status")).toContainText("Done", { timeout: 60_000 });
  await expect(atomicItem.getByTestId("summary-alerts-created")).toHaveText(/^\d+$/);

  // the same file again: nothing new
  await page.getByTestId("file-input").setInputFiles([atomic]);
  const again = items.first();
  await expect(again.getByTestId("upload-summary")).toBeVisible({ timeout: 30_000 });
  await expect(again.getByTestId("summary-stored")).toHaveText("0");
  await expect(again.getByTestId("summary-duplicates")).toHaveText("565");
  await expect(again.getByTestId("summary-status")).toContainText("Done", { timeout: 60_000 });

  // the job list shows both ingests of the file
  await page.goto("/ingest");
  await expect(page.getByRole("link", { name: "PanacheSysmon_vs_AtomicRedTeam01.evtx.xml" }).first()).toBeVisible();
  expect(
    await page.getByRole("link", { name: "PanacheSysmon_vs_AtomicRedTeam01.evtx.xml" }).count(),
  ).toBeGreaterThanOrEqual(2);
  // a job's page says how its rule run ended
  await page.getByRole("link", { name: "PanacheSysmon_vs_AtomicRedTeam01.evtx.xml" }).first().click();
  await expect(page.getByTestId("job-detection")).toContainText(/finished, \d+ alerts? created/, { timeout: 30_000 });
});

test("an unreadable file is rejected with a message naming it, and nothing is stored", async ({ page }) => {
  await loginAs(page, "analyst");
  await page.goto("/upload");
  await page.getByTestId("file-input").setInputFiles({
    name: "broken.bin",
    mimeType: "application/octet-stream",
    buffer: Buffer.from([0, 1, 2, 3, 255, 254, 0, 7]),
  });
  const item = page.getByTestId("upload-item").first();
  await expect(item).toContainText("Failed", { timeout: 20_000 });
  await expect(item).toContainText("broken.bin");
  await expect(item.getByTestId("summary-stored")).toHaveText("0");
});

test("a file that gives no events is shown as failed with what was wrong, not as done", async ({ page }) => {
  await loginAs(page, "analyst");
  await page.goto("/upload");
  await page.getByTestId("file-input").setInputFiles({
    name: `empty-${Date.now()}.ndjson`,
    mimeType: "application/x-ndjson",
    buffer: Buffer.alloc(0),
  });
  const empty = page.getByTestId("upload-item").first();
  await expect(empty.getByTestId("summary-status")).toContainText("Failed", { timeout: 20_000 });
  await expect(empty.getByTestId("summary-status")).toContainText("the file is empty (0 bytes)");

  // NDJSON read as Windows XML (the format picked by hand) gives no event either
  await page.getByLabel("Format").selectOption("windows-xml");
  const name = `as-xml-${Date.now()}.ndjson`;
  await page.getByTestId("file-input").setInputFiles({
    name,
    mimeType: "application/octet-stream",
    buffer: Buffer.from(`${JSON.stringify({ "@timestamp": "2024-01-01T00:00:00Z", event: { code: "1" } })}\n`),
  });
  const asXml = page.getByTestId("upload-item").filter({ hasText: name });
  await expect(asXml.getByTestId("summary-status")).toContainText("Failed", { timeout: 20_000 });
  await expect(asXml.getByTestId("summary-status")).toContainText("no events");
  await expect(asXml.getByTestId("summary-stored")).toHaveText("0");

  // the API answers such a file 422 with the same message
  const origin = new URL(page.url()).origin;
  const response = await page.request.post(`/api/ingest?filename=empty-${Date.now()}.ndjson`, {
    data: Buffer.alloc(0),
    headers: { origin, "content-type": "application/x-ndjson" },
  });
  expect(response.status()).toBe(422);
  expect(await response.json()).toMatchObject({
    status: "failed",
    stored: 0,
    message: expect.stringMatching(/the file is empty/),
  });
});
