import { expect, test, type Locator, type Page } from "@playwright/test";
import { sysmon21Doc } from "../../lib/triage/testing/sysmon-docs";
import { loginAs } from "../helpers/auth";

/**
 * On a phone (390×844) the alert page and the lead's queue are read and acted on without the page
 * scrolling sideways, in light and dark, even with an attacker's 20,000-character consumer name
 * and a host name without a single separator.
 */
const PHONE = { width: 390, height: 844 };

// an alert page with its evidence is heavy on a loaded 2-core machine
test.describe.configure({ timeout: 180_000 });

async function seed(page: Page): Promise<{ run: string; host: string }> {
  const run = `phone${Date.now()}`;
  const host = `${run}-${"H".repeat(70)}`;
  const consumer = `${run}-${"c".repeat(20_000)}`;
  const doc = sysmon21Doc({ host, consumer, at: "2030-05-01T10:00:00Z", user: { name: "NT AUTHORITY\\SYSTEM" } });
  const res = await page.request.post(`/api/ingest?filename=${run}.ndjson`, { data: JSON.stringify(doc) });
  expect(res.ok()).toBe(true);
  return { run, host };
}

async function expectNoSidewaysScroll(page: Page, where: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.scrollingElement!.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    expect(scrollWidth, `${where} (${scheme}) scrolls sideways`).toBeLessThanOrEqual(innerWidth);
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/** The control is on screen horizontally (not cut off at the right edge) and can be used. */
async function expectUsable(control: Locator) {
  await control.scrollIntoViewIfNeeded();
  await expect(control).toBeVisible();
  await expect(control).toBeEnabled();
  const box = (await control.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
}

test("the alert page on a phone: no sideways scroll; status, assign and verdict controls usable", async ({ page }) => {
  await loginAs(page, "lead");
  await page.setViewportSize(PHONE);
  const { run } = await seed(page);
  await page.goto(`/alerts?q=${run}`);
  await expectNoSidewaysScroll(page, "/alerts");
  await page.getByTestId("alert-row").first().locator("a").first().click();
  await expect(page).toHaveURL(/\/alerts\/[0-9a-f]+/);
  await page.waitForLoadState("networkidle");
  await expectNoSidewaysScroll(page, "the alert page");

  const ack = page.getByRole("button", { name: "Acknowledge", exact: true });
  await expectUsable(ack);
  // a click before the page has hydrated does nothing: retried until the status changed
  await expect(async () => {
    await ack.click({ timeout: 2_000 });
    await expect(ack).toBeHidden({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });

  const assign = page.getByRole("combobox", { name: "Assign to" });
  await expectUsable(assign);
  await assign.selectOption({ label: "Ana Analyst" });
  await expect(page.getByTestId("assignee")).toHaveText("Ana Analyst");

  const verdict = page.getByRole("form", { name: "Verdict" });
  await expectUsable(verdict.getByRole("radio").first());
  await expectUsable(verdict.getByRole("textbox"));
  await expectUsable(verdict.getByRole("button", { name: "Close alert" }));
  // acting changed the page (status, assignee, history): it still does not scroll sideways
  await expectNoSidewaysScroll(page, "the alert page after acknowledging and assigning");
});

test("the queue on a phone: no sideways scroll; an alert is selected and assigned", async ({ page }) => {
  await loginAs(page, "lead");
  await page.setViewportSize(PHONE);
  const { host } = await seed(page);
  await page.goto("/queue?view=unassigned");
  await expectNoSidewaysScroll(page, "/queue");
  // oldest first, 200 a page: the new alert is on the last page
  const row = page.getByTestId("queue-row").filter({ hasText: host.slice(0, 30) });
  while ((await row.count()) === 0) await page.getByRole("link", { name: "Newer →" }).click();
  await expectNoSidewaysScroll(page, "/queue (the alert's page)");

  const box = row.getByRole("checkbox");
  await expectUsable(box);
  await box.check();
  const person = page.getByRole("combobox", { name: "Assign to" });
  await expectUsable(person);
  await person.selectOption({ label: "Ana Analyst (analyst)" });
  const assign = page.getByRole("button", { name: "Assign", exact: true });
  await expectUsable(assign);
  await assign.click();
  await expect(page.getByText("1 alert(s) assigned")).toBeVisible();
  await expectNoSidewaysScroll(page, "/queue after assigning");
});
