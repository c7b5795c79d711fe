import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { loginAs } from "../helpers/auth";
import { screenshotPath } from "../helpers/screenshot-path";
import { alertIdFor, subscriptionEvent } from "../helpers/subscription-event";

test("a lead closes an exception's open matches, then exports and re-imports the list unchanged", async ({ page }) => {
  const tag = `xc${Date.now().toString(36)}`;
  const host = `E2E-${tag}`;
  const recordId = (Date.now() % 1_000_000_000) + 7;
  await loginAs(page, "lead");
  const ingest = await page.request.post(`/api/ingest?filename=${tag}.ndjson`, {
    data: JSON.stringify(subscriptionEvent(tag, host, recordId, 2)),
  });
  expect((await ingest.json()).alerts).toBe(1);

  // an exception on this host, with a case-insensitive user condition Kibana will read differently
  await page.goto("/exceptions/new");
  await page.getByLabel("Name").fill(`agent ${tag}`);
  await page.getByRole("button", { name: "Add condition" }).click();
  await page.getByLabel("Field 1").fill("host.name");
  await page.getByLabel("Value 1").fill(host);
  await page.getByRole("button", { name: "Add condition" }).click();
  await page.getByLabel("Field 2").fill("user.name");
  await page.getByLabel("Value 2").fill("SVC_AGENT");
  await page.getByLabel("Case-sensitive 2").uncheck();
  await page.getByRole("button", { name: "Save exception" }).click();
  await expect(page).toHaveURL(/\/exceptions\?saved=/);
  const row = page.getByTestId("exception-row").filter({ hasText: `agent ${tag}` });
  await expect(row).toContainText("item_id");

  // the alert's mandatory steps are not done: the lead's explicit action still closes it, and says so
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Close matching open alerts" }).click();
  await expect(row.getByRole("status")).toHaveText("Closed 1 of 1 matching open alerts as benign positive.");
  await page.goto(`/alerts/${alertIdFor(host, recordId)}`);
  await expect(page.getByText(`closed by exception "agent ${tag}"`).first()).toBeVisible();
  await page.goto("/exceptions");

  // export: a warning names the case-insensitive item
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export (Kibana NDJSON)" }).click();
  const download = await downloading;
  const warning = page.getByTestId("export-case-warning");
  await expect(warning).toContainText(`agent ${tag}`);
  await expect(warning).toContainText("case-insensitive on user.name");
  const file = await download.path();
  const items = readFileSync(file, "utf8").trim().split("\n").length - 2;
  await page.screenshot({ path: screenshotPath("exceptions-export-warning.png"), fullPage: true });

  // our own file back in: nothing new, nothing changed
  await page.getByLabel("Kibana export file").setInputFiles(file);
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByTestId("import-summary")).toContainText(`: 0 new, ${items} updated, 0 rejected.`);
  await expect(page.getByTestId("import-summary")).toContainText(
    `${items} of the updated already said exactly this: left unchanged.`,
  );
  await expect(page.getByTestId("exception-row").filter({ hasText: `agent ${tag}` })).toHaveCount(1);
});
