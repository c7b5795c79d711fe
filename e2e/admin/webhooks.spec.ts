import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { expect, test } from "@playwright/test";
import { loginAs } from "../helpers/auth";

// the receiver is a chat tool's endpoint on this machine; the e2e server runs with WEBHOOK_ALLOW_PRIVATE=1
const RECEIVER_PORT = 3441;

test("an admin adds a webhook, a lead's new case reaches the receiver signed within seconds, and the log says delivered", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const tag = Date.now().toString(36);
  const secret = `e2e-webhook-secret-${tag}`;
  const name = `Chat ${tag}`;
  const title = `Hooked case ${tag}`;
  const received: { body: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ body: Buffer.concat(chunks).toString("utf8"), headers: req.headers });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(RECEIVER_PORT, "127.0.0.1", resolve));
  try {
    await loginAs(page, "admin");
    await page.goto("/admin/webhooks");
    await expect(page.getByRole("heading", { name: "Webhooks" })).toBeVisible();
    const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Save webhook" }) });
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Secret", { exact: false }).fill(secret);
    // a cloud metadata address is refused, with the address named
    await form.getByLabel("URL", { exact: false }).fill("http://169.254.169.254/latest/meta-data/");
    await form.getByRole("button", { name: "Save webhook" }).click();
    await expect(form.getByRole("alert")).toContainText(
      "169.254.169.254 is a link-local (cloud metadata) address; webhooks are never sent there",
    );
    // what was typed is kept after a refusal: only the URL is corrected
    await expect(form.getByLabel("Name")).toHaveValue(name);
    await expect(form.getByLabel("Secret", { exact: false })).toHaveValue(secret);
    await form.getByLabel("URL", { exact: false }).fill(`http://127.0.0.1:${RECEIVER_PORT}/hooks/${tag}`);
    await form.getByRole("button", { name: "Save webhook" }).click();
    await expect(form.getByRole("status")).toContainText(`Webhook "${name}" saved`);
    // once saved, the form is empty for the next one
    await expect(form.getByLabel("Name")).toHaveValue("");
    await page.reload();
    await expect(page.getByTestId("webhooks").getByRole("row", { name: new RegExp(name) })).toContainText("Enabled");

    // a lead creates a case, then assigns it
    const leadContext = await browser.newContext();
    const lead = await leadContext.newPage();
    await loginAs(lead, "lead");
    await lead.goto("/cases");
    const newCase = lead.locator("form").filter({ has: lead.getByRole("button", { name: "New case" }) });
    await newCase.getByLabel("Title").fill(title);
    await newCase.getByLabel("Severity").selectOption({ label: "High" });
    await newCase.getByRole("button", { name: "New case" }).click();
    await expect(lead.getByRole("heading", { name: new RegExp(`Case #\\d+: ${title}`) })).toBeVisible();
    const caseId = lead.url().match(/\/cases\/([0-9a-f-]{36})/)![1];

    // sent as the case was saved, not at the worker's next minute (no worker runs in the e2e server)
    await expect.poll(() => received.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    const created = received.find((r) => JSON.parse(r.body).event === "case.created")!;
    const expected = `sha256=${createHmac("sha256", secret).update(created.body, "utf8").digest("hex")}`;
    expect(created.headers["x-wmi-signature"]).toBe(expected);
    expect(created.headers["content-type"]).toBe("application/json");
    const payload = JSON.parse(created.body);
    expect(created.headers["x-wmi-delivery"]).toBe(payload.id);
    expect(payload).toMatchObject({
      event: "case.created",
      text: expect.stringMatching(new RegExp(`^Case #\\d+ "${title}" created by .+: High severity`)),
      data: {
        case: {
          id: caseId,
          title,
          severity: "high",
          severityLabel: "High",
          statusLabel: "Open",
          path: `/cases/${caseId}`,
          url: expect.stringMatching(new RegExp(`^http://localhost:\\d+/cases/${caseId}$`)),
        },
      },
    });

    await lead.getByLabel("Case assignee").selectOption({ label: "Ana Analyst (analyst)" });
    await expect
      .poll(() => received.map((r) => JSON.parse(r.body).event), { timeout: 5_000 })
      .toContain("case.updated");
    const assigned = JSON.parse(received.find((r) => JSON.parse(r.body).event === "case.updated")!.body);
    expect(assigned.text).toContain("assigned to Ana Analyst");
    expect(assigned.data.case.assignee).toMatchObject({ name: "Ana Analyst" });
    await leadContext.close();

    // the admin's delivery log
    await page.reload();
    const log = page.getByTestId("webhook-deliveries");
    await expect(log.getByRole("row").filter({ hasText: "Case created" }).filter({ hasText: name })).toContainText(
      "Delivered",
    );
    await expect(log.getByRole("row").filter({ hasText: "Case updated" }).filter({ hasText: name })).toContainText(
      "200",
    );

    // removed again, so other specs' cases send nothing to a receiver that is gone
    page.on("dialog", (d) => void d.accept());
    await page
      .getByTestId("webhooks")
      .getByRole("row", { name: new RegExp(name) })
      .getByRole("button", { name: "Delete" })
      .click();
    await expect(page.getByTestId("webhooks").getByRole("row", { name: new RegExp(name) })).toHaveCount(0);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
