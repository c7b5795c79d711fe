import { expect, test } from "@playwright/test";
import { loginAs } from "../helpers/auth";
import { screenshotPath } from "../helpers/screenshot-path";

const ref = (kind: string, name: string) => ` "\\\\.\\ROOT\\subscription:${kind}.Name=\\"${name}\\""`;

/** One subscription's life on a host as Sysmon logs it: filter, consumer, binding, then the consumer running. */
function attack(tag: string, host: string) {
  const encoded = Buffer.from(`Write-Host ${tag}`, "utf16le").toString("base64");
  const command = `powershell.exe -NoP -enc ${encoded}`;
  const base = { host: { name: host }, user: { name: "mallory" } };
  const winlog = (recordId: number, data: Record<string, string>) => ({
    channel: "Microsoft-Windows-Sysmon/Operational",
    computer_name: host,
    record_id: recordId,
    event_data: { Operation: "Created", ...data },
  });
  const at = (s: number) => new Date(Date.UTC(2024, 7, 1, 12, 0, s)).toISOString();
  const sysmon = (code: string) => ({ code, dataset: "windows.sysmon_operational" });
  return {
    command,
    decoded: `Write-Host ${tag}`,
    ndjson: [
      {
        ...base,
        "@timestamp": at(1),
        event: sysmon("19"),
        winlog: winlog(1, {
          Name: ` "${tag}-filter"`,
          EventNamespace: ' "root\\\\cimv2"',
          Query: ' "SELECT * FROM __InstanceModificationEvent WITHIN 60"',
        }),
      },
      {
        ...base,
        "@timestamp": at(2),
        event: sysmon("20"),
        winlog: winlog(2, { Name: ` "${tag}-consumer"`, Type: "Command Line", Destination: ` "${command}"` }),
      },
      {
        ...base,
        "@timestamp": at(3),
        event: sysmon("21"),
        winlog: winlog(3, {
          Consumer: ref("CommandLineEventConsumer", `${tag}-consumer`),
          Filter: ref("__EventFilter", `${tag}-filter`),
        }),
      },
      {
        "@timestamp": at(65),
        event: { code: "1", dataset: "windows.sysmon_operational", category: ["process"] },
        host: { name: host },
        user: { name: "SYSTEM" },
        process: { name: "powershell.exe", command_line: command, parent: { name: "WmiPrvSE.exe" } },
        winlog: {
          channel: "Microsoft-Windows-Sysmon/Operational",
          computer_name: host,
          record_id: 4,
          event_data: { Hashes: "SHA256=0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF" },
        },
      },
    ]
      .map((d) => JSON.stringify(d))
      .join("\n"),
  };
}

test("a lead reads the case report as its recipient would: summary, attack, indicators, printable", async ({
  page,
}) => {
  const tag = `rp${Date.now().toString(36)}`;
  const host = `E2E-${tag}`;
  const events = attack(tag, host);
  await loginAs(page, "lead");
  const ingest = await page.request.post(`/api/ingest?filename=${tag}.ndjson`, { data: events.ndjson });
  expect((await ingest.json()).alerts).toBe(1);

  await page.goto("/queue?view=all");
  await page.getByTestId("queue-row").filter({ hasText: host }).getByRole("checkbox").check();
  await page.getByRole("button", { name: "New case from selected" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Title").fill(`Report ${tag}`);
  await dialog.getByRole("button", { name: "Create case" }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`Case #\\d+: Report ${tag}`) })).toBeVisible();

  // comments are GitHub-flavoured Markdown: a table and a task list render, raw HTML does not
  await page
    .getByLabel("Add a comment (Markdown)")
    .fill(
      "| Host | Action |\n| --- | --- |\n| " + host + " | isolated |\n\n- [x] isolate\n- [ ] reimage\n\n<b>raw</b>",
    );
  await page.getByRole("button", { name: "Comment" }).click();
  const comment = page.getByTestId("case-comment").last();
  await expect(comment.locator("table td").first()).toHaveText(host);
  await expect(comment.getByRole("checkbox")).toHaveCount(2);
  await expect(comment.locator("b")).toHaveCount(0);

  await page.getByRole("link", { name: "Report (printable)" }).click();
  const summary = page.getByTestId("report-summary");
  await expect(summary).toContainText(`Report ${tag}: 1 alert of`);
  await expect(summary).toContainText(host);
  await expect(summary).toContainText("not decided");
  const timeline = page.getByTestId("report-attack-timeline");
  await expect(timeline.locator("tbody tr")).toHaveCount(4);
  await expect(timeline.locator("tbody tr").nth(0)).toContainText("Filter");
  await expect(timeline.locator("tbody tr").nth(1)).toContainText("Consumer");
  await expect(timeline.locator("tbody tr").nth(2)).toContainText("Binding");
  await expect(timeline.locator("tbody tr").nth(3)).toContainText("Consumer execution");
  const indicators = page.getByTestId("report-indicators");
  await expect(indicators).toContainText(`${tag}-consumer`);
  await expect(indicators).toContainText(`${tag}-filter`);
  await expect(indicators).toContainText("SHA256=0123456789ABCDEF");
  await expect(page.getByText(events.decoded, { exact: true })).toBeVisible();
  await expect(page.getByText("T1546.003")).toBeVisible();
  await expect(page.locator("[data-print-report] table").filter({ hasText: "isolated" })).toHaveCount(1);

  await page.screenshot({ path: screenshotPath("case-report-light.png"), fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: screenshotPath("case-report-dark.png"), fullPage: true });
  // print: no navigation, black on white even in a dark theme
  await page.emulateMedia({ media: "print", colorScheme: "dark" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.locator("[data-print-report] h1")).toHaveCSS("color", "rgb(0, 0, 0)");
  await page.pdf({ path: screenshotPath("case-report.pdf"), format: "A4", printBackground: true });
  await page.screenshot({ path: screenshotPath("case-report-print.png"), fullPage: true });
  await page.emulateMedia({ media: "screen", colorScheme: "light" });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: screenshotPath("case-report-phone.png"), fullPage: true });

  const md = await (await page.request.get(page.url().replace(/\/report$/, "/export?format=md"))).text();
  expect(md).toContain("## Attack timeline");
  expect(md).toContain(`- Consumer names: \`${tag}-consumer\``);
  expect(md).toContain(events.decoded);
});
