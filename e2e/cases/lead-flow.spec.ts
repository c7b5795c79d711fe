import { expect, test, type Page } from "@playwright/test";
import { loginAs } from "../helpers/auth";
import { screenshotPath } from "../helpers/screenshot-path";

/** Three Sysmon 21 documents the rule matches, unique to this run. */
function threeSubscriptions(tag: string): string {
  return Array.from({ length: 3 }, (_, i) =>
    JSON.stringify({
      "@timestamp": new Date(Date.UTC(2024, 5, 1, 9, i)).toISOString(),
      event: { code: "21", dataset: "windows.sysmon_operational" },
      host: { name: `E2E-${tag}-${i}` },
      user: { name: "bob" },
      winlog: {
        computer_name: `E2E-${tag}-${i}`,
        event_data: {
          Operation: "Created",
          Consumer: ` "\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name=\\"${tag}-${i}\\""`,
        },
      },
    }),
  ).join("\n");
}

async function readMetric(page: Page, id: string): Promise<string> {
  await page.goto("/metrics?days=365");
  return (await page.getByTestId(`metric-${id}`).locator("dd").textContent()) ?? "";
}

// Later tests rely on the default (all investigation steps mandatory). The form keeps its boxes
// disabled until the page has hydrated (a tick before that would not reach the saved value), so
// setChecked waits for them; the reload shows what was stored.
async function setMandatoryInvestigation(page: Page, on: boolean) {
  const boxes = page.locator("#mandatory-steps fieldset").first().getByRole("checkbox");
  await page.goto("/queue");
  await expect(boxes.first()).toBeEnabled();
  for (const box of await boxes.all()) await box.setChecked(on);
  await page.getByRole("button", { name: "Save mandatory steps" }).click();
  await expect(page.locator("#mandatory-steps").getByRole("status")).toContainText("saved");
  await page.reload();
  for (const box of await boxes.all()) await expect(box).toBeChecked({ checked: on });
}

test("a lead assigns three alerts, the analyst is notified, closes the case, and the lead's metrics move", async ({
  page,
  browser,
}) => {
  // two browsers, a case, metrics and settings: longer than one page's journey on a loaded machine
  test.slow();
  const tag = `lf${Date.now().toString(36)}`;
  await loginAs(page, "lead");

  const ingest = await page.request.post(`/api/ingest?filename=${tag}.ndjson`, { data: threeSubscriptions(tag) });
  expect(ingest.status()).toBe(200);
  expect((await ingest.json()).alerts).toBe(3);

  const closedBefore = Number(await readMetric(page, "closed"));

  // the three unassigned alerts are in the queue: assign them all to the analyst at once
  await page.goto("/queue?view=unassigned");
  const rows = page.getByTestId("queue-row").filter({ hasText: `E2E-${tag}` });
  await expect(rows).toHaveCount(3);
  for (const row of await rows.all()) await row.getByRole("checkbox").check();
  // the assign control starts on no choice: nothing is unassigned by a stray click
  await expect(page.getByRole("button", { name: "Assign", exact: true })).toBeDisabled();
  await expect(page.getByTestId("workload").getByRole("row", { name: /^Unassigned/ })).not.toContainText("—");
  await page.getByLabel("Assign to").selectOption({ label: "Ana Analyst (analyst)" });
  await page.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("3 alert(s) assigned");
  await expect(page.getByTestId("workload")).toContainText("Ana Analyst");

  // one of them becomes a case, assigned to the analyst; mandatory steps are lifted for this flow
  await page.goto("/queue?view=all");
  await page
    .getByTestId("queue-row")
    .filter({ hasText: `E2E-${tag}-0` })
    .getByRole("checkbox")
    .check();
  // a dialog, not the browser's prompt(): title, severity, tags and assignee at once
  await page.getByRole("button", { name: "New case from selected" }).click();
  const dialog = page.getByRole("dialog", { name: "New case from 1 alert" });
  await dialog.getByLabel("Title").fill(`Case ${tag}`);
  await dialog.getByLabel("Severity").selectOption({ label: "High" });
  await dialog.getByLabel("Tags").fill("wmi, e2e");
  await dialog.getByLabel("Assignee").selectOption({ label: "Ana Analyst" });
  await page.screenshot({ path: screenshotPath("new-case-dialog.png") });
  await dialog.getByRole("button", { name: "Create case" }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`Case #\\d+: Case ${tag}`) })).toBeVisible();
  const caseUrl = page.url();
  await expect(page.getByTestId("case-summary")).toContainText("assignee Ana Analyst");
  await expect(page.getByTestId("case-summary")).toContainText("severity High");
  await setMandatoryInvestigation(page, false);

  // the analyst, in their own browser context
  const analystContext = await browser.newContext();
  const analyst = await analystContext.newPage();
  try {
    await loginAs(analyst, "analyst");
    await analyst.goto("/notifications");
    const mine = analyst.getByTestId("notification").filter({ hasText: new RegExp(`E2E-${tag}|Case ${tag}`) });
    await expect(mine).toHaveCount(4);
    await mine
      .filter({ hasText: `Case ${tag}` })
      .getByRole("link")
      .click();
    await expect(analyst).toHaveURL(caseUrl);
    await expect(analyst.getByTestId("case-alert")).toHaveCount(1);

    await analyst.getByLabel("Add a comment (Markdown)").fill("Checked the consumer: **Atomic Red Team** test");
    await analyst.getByRole("button", { name: "Comment" }).click();
    await expect(analyst.getByTestId("case-comment").locator("strong")).toHaveText("Atomic Red Team");

    await analyst.locator("select[name=resolution]").selectOption("true_positive");
    await analyst.getByRole("button", { name: "Close case and its alerts" }).click();
    // the action's own answer first: a refusal fails here with its message
    const controls = analyst.getByTestId("case-controls");
    await expect(controls.getByRole("status").or(controls.getByRole("alert"))).toHaveText(
      "case closed; 1 alert(s) closed",
    );
    await expect(analyst.getByTestId("case-summary")).toContainText("Closed (True positive)");
    await expect(analyst.getByTestId("case-alert")).toContainText("Closed (True positive)");
    await analyst.screenshot({ path: screenshotPath("lead-flow-case-closed.png"), fullPage: true });
  } finally {
    await analystContext.close();
  }

  // the lead sees it in the metrics and the audit log
  await expect.poll(async () => Number(await readMetric(page, "closed"))).toBe(closedBefore + 1);
  await expect(page.getByTestId("metric-mttr")).not.toHaveText("—");
  // per analyst: the closure counts for Ana, whose alert it was; verdicts in words
  const ana = page.getByRole("table", { name: "Per analyst" }).getByRole("row").filter({ hasText: "Ana Analyst" });
  await expect(ana).toHaveCount(1);
  expect(Number(await ana.locator("td").nth(3).textContent())).toBeGreaterThanOrEqual(1);
  await expect(ana.locator("td").nth(4)).not.toHaveText("—");
  await expect(page.getByRole("list", { name: "Verdicts" })).toContainText(/True positive: \d+/);
  await expect(page.getByRole("list", { name: "Verdicts" })).not.toContainText("true_positive");
  // the lead sets the acknowledgement target; the SLA count is measured against it
  const target = page.getByRole("form", { name: "Acknowledgement target" });
  await expect(target.getByLabel("Acknowledge within (minutes)")).toBeEnabled();
  await target.getByLabel("Acknowledge within (minutes)").fill("45");
  await target.getByRole("button", { name: "Save target" }).click();
  await expect(target.getByRole("status")).toHaveText("acknowledge within 45 min");
  await expect(page.getByTestId("metric-sla-late").locator("dt")).toHaveText("Acknowledged later than 45 min");
  await page.screenshot({ path: screenshotPath("lead-flow-metrics.png"), fullPage: true });
  await page.goto(`/audit?action=case.close`);
  await expect(page.getByTestId("audit-entry").first()).toContainText("Ana Analyst");

  const report = await page.request.get(`${caseUrl}/export?format=md`);
  expect(report.status()).toBe(200);
  expect(await report.text()).toContain(`Case ${tag}`);

  await setMandatoryInvestigation(page, true);
});
