import { expect, test, type Page } from "@playwright/test";
import { sysmon21Doc } from "../../lib/triage/testing/sysmon-docs";
import { loginAs } from "../helpers/auth";

/**
 * Grouped alerts, as Kibana's: collapsible groups with counts, highest severity and statuses;
 * actions on a whole group; an attacker's look-alike names (a zero-width space, a Cyrillic
 * letter) are groups of their own, shown as text.
 */
async function seed(page: Page) {
  const run = `grp${Date.now()}`;
  const hosts = { plain: `${run}-srv`, zeroWidth: `${run}-srv\u200b`, cyrillic: `${run}-\u0455rv` };
  const docs = [hosts.plain, hosts.plain, hosts.plain, hosts.zeroWidth, hosts.cyrillic].map((host, i) =>
    sysmon21Doc({
      host,
      consumer: `c${i}-${run}`,
      at: `2030-06-01T1${i}:00:00Z`,
      user: { name: i < 2 ? "alice" : "bob" },
    }),
  );
  const res = await page.request.post(`/api/ingest?filename=${run}.ndjson`, {
    data: docs.map((d) => JSON.stringify(d)).join("\n"),
  });
  expect(res.ok()).toBe(true);
  return { run, hosts };
}

test.describe.configure({ timeout: 180_000 });

test("group by host: counts per exact name, a whole group acknowledged and assigned from its header", async ({
  page,
}) => {
  await loginAs(page, "analyst");
  const { run, hosts } = await seed(page);
  await page.goto(`/alerts?q=${run}`);
  await page.getByLabel("Group by").selectOption("host");
  await expect(page).toHaveURL(/group=host/);
  const groups = page.getByTestId("alert-group");
  await expect(groups).toHaveCount(3);
  await expect(page.getByTestId("group-count")).toHaveText("3 host group(s)");
  // largest first; the look-alikes are separate groups, their names shown exactly
  const keys = await page.getByTestId("group-key").allTextContents();
  expect(keys).toEqual([hosts.plain, expect.any(String), expect.any(String)]);
  expect(new Set(keys.slice(1))).toEqual(new Set([hosts.zeroWidth, hosts.cyrillic]));
  const plain = groups.first();
  await expect(plain.getByTestId("group-alerts")).toHaveText("3 alert(s)");
  await expect(plain).toContainText("Open 3");

  // collapsed until opened
  const bar = plain.getByTestId("group-bulk-bar");
  await expect(bar).toBeHidden();
  await plain.locator("summary").click();
  await expect(bar).toBeVisible();
  await expect(bar).toContainText("All 3 alert(s) of this group");
  await expect(plain.getByRole("link", { name: /\d{4}-\d\d-\d\d/ })).toHaveCount(3);

  await bar.getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByText("3 alert(s) acknowledged")).toBeVisible();
  await expect(groups.first()).toContainText("Acknowledged 3");
  // the look-alike groups were not touched
  for (const i of [1, 2]) await expect(groups.nth(i)).toContainText("Open 1");

  // still open after the refresh; opened again if not
  if ((await groups.first().locator("details").getAttribute("open")) === null)
    await groups.first().locator("summary").click();
  await groups
    .first()
    .getByTestId("group-bulk-bar")
    .getByLabel("Assign to")
    .selectOption({ label: "Ana Analyst (me)" });
  await expect(page.getByText("3 alert(s) assigned")).toBeVisible();
  await expect(groups.first()).toContainText("3/3 assigned");

  // the group's alerts in the table, exactly those
  await groups.first().getByRole("link", { name: "These alerts in the table" }).click();
  await expect(page.getByTestId("alerts-total")).toHaveText("3 alert(s)");

  // by user
  await page.goto(`/alerts?q=${run}&group=user`);
  await expect(page.getByTestId("group-key")).toHaveText(["bob", "alice"]);
});
