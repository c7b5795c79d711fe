import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { loginAs } from "../helpers/auth";

// The real recording of winpwnage's WMI persistence (evtx-attack-samples), its machine renamed per
// test so each test hunts its own copy: 9 process starts (one by WmiPrvSE.exe), Sysmon 19/20/21.
const RECORDING =
  "/work/shared/datasets/evtx-attack-samples/derived-xml/sysmon_20_21_1_CommandLineEventConsumer.evtx.xml";
const FROM = "2019-05-11T17:00:00Z";
const TO = "2019-05-11T19:00:00Z";

async function ingestRecording(page: Page, host: string): Promise<void> {
  const xml = readFileSync(RECORDING, "utf8").replaceAll("<Computer>IEWIN7</Computer>", `<Computer>${host}</Computer>`);
  const res = await page.request.post(`/api/ingest?filename=${host}.xml`, { data: xml });
  expect(res.ok()).toBe(true);
}

async function hunt(page: Page, query: string, host: string): Promise<void> {
  const form = page.getByRole("form", { name: "Hunt" });
  await form.getByLabel("EQL query").fill(query);
  await form.getByLabel("From (UTC)").fill(FROM);
  await form.getByLabel("To (UTC)").fill(TO);
  await form.getByLabel("Host (optional)").fill(host);
  await form.getByRole("button", { name: "Hunt" }).click();
}

const uniqueHost = (prefix: string) => `${prefix}-${Date.now().toString(36)}`.toUpperCase();

test("an analyst hunts the process WmiPrvSE.exe started, sees why it matched, adds a column, sorts and exports", async ({
  page,
}) => {
  const host = uniqueHost("HUNT");
  await loginAs(page, "analyst");
  await ingestRecording(page, host);
  await page.goto("/hunt");
  await hunt(page, 'process where process.parent.name == "WmiPrvSE.exe"', host.toLowerCase());
  await expect(page.getByTestId("hunt-summary")).toContainText("1 hits", { timeout: 30_000 });
  const table = page.getByTestId("hunt-results");
  await expect(table).toContainText("C:\\Windows\\System32\\cmd.exe");
  await table.getByText("explain · pin").click();
  await expect(table.getByText("process.parent.name: WmiPrvSE.exe")).toBeVisible();

  await page
    .getByLabel("Columns (any ECS field, comma-separated)")
    .fill("@timestamp, process.parent.executable, process.pid");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(table.getByRole("columnheader", { name: "process.parent.executable" })).toBeVisible();
  await expect(table).toContainText("C:\\Windows\\System32\\wbem\\WmiPrvSE.exe");

  const csv = await page.request.get((await page.getByRole("link", { name: "Export CSV" }).getAttribute("href")) ?? "");
  expect(await csv.text()).toContain("C:\\Windows\\System32\\wbem\\WmiPrvSE.exe");

  // every WMIC.exe start, sorted newest first by clicking the time column twice
  await hunt(page, 'process where process.name == "WMIC.exe"', host);
  await expect(page.getByTestId("hunt-summary")).toContainText("6 hits", { timeout: 30_000 });
  await table.getByRole("link", { name: "@timestamp" }).click();
  await expect(table.getByRole("columnheader", { name: /@timestamp ▼/ })).toBeVisible();
  await expect(table.locator("tbody tr").first()).toContainText("2019-05-11 17:58:54");
});

test("a sequence with maxspan and a missing event, as Elasticsearch's state machine answers", async ({ page }) => {
  const host = uniqueHost("SEQ");
  await loginAs(page, "lead");
  await ingestRecording(page, host);
  await page.goto("/hunt");
  await hunt(
    page,
    'sequence by host.name with maxspan=5m\n  [process where process.name == "WMIC.exe"]\n  [any where event.code == "21"]',
    host,
  );
  await expect(page.getByTestId("hunt-summary")).toContainText("2 sequences", { timeout: 30_000 });
  const seqs = page.getByTestId("hunt-sequences");
  await expect(seqs.getByRole("heading", { name: /Sequence 1/ })).toContainText(host);
  await expect(seqs).toContainText("2019-05-11 17:58:23");

  await hunt(
    page,
    'sequence by host.name with maxspan=10s [process where process.name == "WMIC.exe"] ![any where event.code == "21"]',
    host,
  );
  await expect(page.getByTestId("hunt-summary")).toContainText("1 sequences", { timeout: 30_000 });
  await expect(seqs).toContainText("missing event: none occurred");
});

test("a syntax error is shown at its position and nothing runs", async ({ page }) => {
  await loginAs(page, "analyst");
  await page.goto("/hunt");
  await hunt(page, 'process where process.name = "cmd.exe"', "");
  const alert = page.getByRole("form", { name: "Hunt" }).getByRole("alert");
  await expect(alert).toContainText("line 1, column 28: unexpected '='");
  await expect(page.getByTestId("hunt-error-caret")).toContainText(`${" ".repeat(27)}^`);
  await expect(page).toHaveURL(/\/hunt$/);
});

test("a shared saved query reaches a trainer, who hunts with it; a private one does not", async ({ page }) => {
  const tag = Date.now().toString(36);
  await loginAs(page, "analyst");
  await page.goto("/hunt");
  const form = page.getByRole("form", { name: "Hunt" });
  await form.getByLabel("EQL query").fill('any where event.code == "21"');
  await form.getByLabel("Saved query name").fill(`bindings ${tag}`);
  await form.getByLabel("shared with every hunter").check();
  await form.getByRole("button", { name: "Save query" }).click();
  await expect(form.getByText(`Saved as “bindings ${tag}” (shared)`)).toBeVisible();
  await form.getByLabel("EQL query").fill("process where true");
  await form.getByLabel("Saved query name").fill(`mine ${tag}`);
  await form.getByLabel("shared with every hunter").uncheck();
  await form.getByRole("button", { name: "Save query" }).click();
  await expect(page.getByRole("region", { name: "Saved queries" })).toContainText(`mine ${tag}`);

  await page.context().clearCookies();
  await loginAs(page, "trainer");
  await page.goto("/hunt");
  const saved = page.getByRole("region", { name: "Saved queries" });
  await expect(saved).toContainText(`bindings ${tag}`);
  await expect(saved).not.toContainText(`mine ${tag}`);
  await saved.getByRole("link", { name: `bindings ${tag}` }).click();
  await expect(page.getByRole("form", { name: "Hunt" }).getByLabel("EQL query")).toHaveValue(
    'any where event.code == "21"',
  );
});

const CHANNEL = "Microsoft-Windows-Sysmon/Operational";
const rule = JSON.parse(readFileSync("lib/rule/data/wmi-event-subscription-v307.json", "utf8")) as { ruleId: string };

test("hunt on this host from an alert, pin a hit to the alert as evidence", async ({ page }) => {
  const host = uniqueHost("PIN");
  const recordId = Date.now() % 1_000_000_000;
  await loginAs(page, "analyst");
  await ingestRecording(page, host);
  // a binding the rule alerts on, on the same machine and written the way Agent stores it (short, lower-cased)
  const binding = {
    "@timestamp": "2019-05-11T17:59:30.000Z",
    event: { code: "21", dataset: "windows.sysmon_operational" },
    host: { name: host.toLowerCase() },
    winlog: {
      channel: CHANNEL,
      computer_name: host.toLowerCase(),
      record_id: recordId,
      event_data: {
        Operation: "Created",
        Consumer: `"\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name=\\"${host}\\""`,
      },
    },
  };
  const ingest = await page.request.post(`/api/ingest?filename=${host}.ndjson`, { data: JSON.stringify(binding) });
  expect(ingest.ok()).toBe(true);
  const alertId = createHash("sha256")
    .update(`${rule.ruleId}\u0000win:${CHANNEL}|${host.toLowerCase()}|${recordId}`)
    .digest("hex")
    .slice(0, 40);
  await page.goto(`/alerts/${alertId}?window=60`);
  const bar = page.getByRole("form", { name: "Hunt on this host" });
  await bar.getByLabel("EQL query on this host").fill('process where process.parent.name == "WmiPrvSE.exe"');
  await bar.getByRole("button", { name: "Hunt on this host" }).click();
  await expect(page).toHaveURL(/\/hunt\?/);
  const form = page.getByRole("form", { name: "Hunt" });
  await expect(form.getByLabel("Host (optional)")).toHaveValue(host.toLowerCase());
  await form.getByRole("button", { name: "Hunt" }).click();
  // the uploaded file's FQDN-less upper-case Computer and Agent's lower-case name are one machine
  await expect(page.getByTestId("hunt-summary")).toContainText("1 hits", { timeout: 30_000 });
  const table = page.getByTestId("hunt-results");
  await table.getByText("explain · pin").click();
  await expect(table.getByLabel("Pin to alert id or case #number")).toHaveValue(alertId);
  await table.getByLabel("Evidence note").fill("consumer ran cmd.exe");
  await table.getByRole("button", { name: "Pin as evidence" }).click();
  await expect(table.getByText(`Pinned to alert ${alertId.slice(0, 8)}`)).toBeVisible();

  // the same hit pinned to a case shows on the case's page
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  const created = await db
    .query<{ id: string; number: number }>(
      `INSERT INTO "case" (id, title, updated_at) VALUES (gen_random_uuid(), $1, now()) RETURNING id, number`,
      [`Hunt pins ${host}`],
    )
    .finally(() => db.end());
  const theCase = created.rows[0];
  await table.getByLabel("Pin to alert id or case #number").fill(`#${theCase.number}`);
  await table.getByLabel("Evidence note").fill("same cmd.exe, for the case");
  await table.getByRole("button", { name: "Pin as evidence" }).click();
  await expect(table.getByText(`Pinned to case #${theCase.number}`)).toBeVisible();

  await page.goto(`/alerts/${alertId}`);
  const evidence = page.getByTestId("hunt-evidence");
  await expect(evidence).toContainText("consumer ran cmd.exe");
  await expect(evidence).not.toContainText("for the case");
  await expect(evidence).toContainText('process where process.parent.name == "WmiPrvSE.exe"');

  await page.goto(`/cases/${theCase.id}`);
  const caseEvidence = page.getByTestId("hunt-evidence");
  await expect(caseEvidence).toContainText("same cmd.exe, for the case");
  await expect(caseEvidence).not.toContainText("consumer ran cmd.exe");
});
