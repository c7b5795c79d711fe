process.env.BETTER_AUTH_SECRET ??= "test-secret-for-the-webhook-integration-tests-0123456789";
// the receiver listens on 127.0.0.1: allowed only with this flag (one test below unsets it)
process.env.WEBHOOK_ALLOW_PRIVATE = "1";

import { Readable } from "node:stream";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignAlerts, setAlertsStatus } from "@/lib/data/alert-status";
import { closeCase, createCase, updateCase } from "@/lib/data/cases";
import {
  createWebhook,
  deleteWebhook,
  listWebhookDeliveries,
  listWebhooks,
  queueWebhookEvent,
  setWebhookEnabled,
} from "@/lib/data/webhooks";
import { closeDb, getDb } from "@/lib/db/client";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";
import { deliverDueWebhooks, startPromptWebhookDelivery } from "@/lib/services/webhook-service";
import { sysmon21Doc } from "@/lib/triage/testing/sysmon-docs";
import { verifySignature } from "@/lib/webhooks/webhook-message";

const tag = `webhook-${process.pid}-${Date.now()}`;
const admin = { id: `admin-${tag}`, name: "Hook Admin", role: "admin" as const };
const lead = { id: `lead-${tag}`, name: "Hook Lead", role: "lead" as const };
const SECRET = `receiver-secret-${tag}`;

/** A chat tool's endpoint: answers 500 to the first request it gets, 200 afterwards. */
const received: { body: string; headers: IncomingHttpHeaders; answered: number }[] = [];
let failNext = 1;
let server: Server;
let url: string;
const webhookIds: string[] = [];

beforeAll(async () => {
  const { prisma } = getDb();
  for (const u of [admin, lead])
    await prisma.user.create({ data: { id: u.id, name: u.name, email: `${u.id}@test.local`, role: u.role } });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const answered = failNext > 0 ? 500 : 200;
      if (failNext > 0) failNext--;
      received.push({ body: Buffer.concat(chunks).toString("utf8"), headers: req.headers, answered });
      res.writeHead(answered).end(answered === 200 ? "ok" : "try later");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/${tag}`;
});

afterAll(async () => {
  for (const id of webhookIds) await deleteWebhook(admin, id).catch(() => undefined);
  await new Promise((resolve) => server.close(resolve));
  await getDb().prisma.event.deleteMany({ where: { hostName: `host-${tag}` } });
  await closeDb();
});

describe("webhooks", () => {
  it("refuse URLs that are not http(s), and never show the secret again", async () => {
    for (const bad of ["file:///etc/passwd", "javascript:alert(1)", "ftp://files.example/x"])
      await expect(createWebhook(admin, { name: "bad", url: bad, events: ["case.created"] }, SECRET)).rejects.toThrow(
        /http:\/\/ or https:\/\//,
      );
    await expect(createWebhook(lead, { name: "lead's", url, events: ["case.created"] }, SECRET)).rejects.toMatchObject({
      code: "forbidden",
    });
    const created = await createWebhook(
      admin,
      { name: `chat ${tag}`, url, events: ["case.created", "case.closed"] },
      SECRET,
    );
    webhookIds.push(created.id);
    const listed = (await listWebhooks(admin)).find((w) => w.id === created.id)!;
    expect(listed).toMatchObject({ url, events: ["case.created", "case.closed"], enabled: true });
    expect(JSON.stringify(listed)).not.toContain(SECRET);
    expect(Object.keys(listed)).not.toContain("secretEnc");
    const stored = await getDb().prisma.webhook.findUnique({ where: { id: created.id }, select: { secretEnc: true } });
    expect(stored!.secretEnc).not.toContain(SECRET);
  });

  it("sends a signed JSON body for a new case, retries after a 500 with back-off, and the log says so", async () => {
    const created = await createCase(lead, { title: `Case for the hook ${tag}`, severity: "high" });
    const mine = async () => (await listWebhookDeliveries(admin, 200)).filter((d) => d.webhookName === `chat ${tag}`);
    expect(await mine()).toMatchObject([{ event: "case.created", status: "pending", attempts: 0 }]);

    const t0 = new Date(Date.now() + 1000);
    const first = await deliverDueWebhooks(t0);
    expect(first).toMatchObject({ attempted: 1, delivered: 0, retrying: 1 });
    expect(received).toHaveLength(1);
    expect(received[0].answered).toBe(500);
    const [afterFirst] = await mine();
    expect(afterFirst).toMatchObject({ status: "pending", attempts: 1, responseCode: 500, lastError: "HTTP 500" });
    expect(afterFirst.nextAttemptAt.getTime() - t0.getTime()).toBe(30_000);

    // not due yet: nothing is sent
    expect(await deliverDueWebhooks(new Date(t0.getTime() + 10_000))).toMatchObject({ attempted: 0 });
    expect(received).toHaveLength(1);

    const second = await deliverDueWebhooks(new Date(t0.getTime() + 31_000));
    expect(second).toMatchObject({ attempted: 1, delivered: 1 });
    expect(received).toHaveLength(2);
    const [afterSecond] = await mine();
    expect(afterSecond).toMatchObject({ status: "delivered", attempts: 2, responseCode: 200, lastError: null });

    // the receiver's view: the same signed body both times, its signature verifies with the secret
    const { body, headers } = received[1];
    expect(body).toBe(received[0].body);
    expect(headers["content-type"]).toBe("application/json");
    expect(verifySignature(SECRET, body, headers["x-wmi-signature"] as string)).toBe(true);
    expect(verifySignature("another-secret-entirely", body, headers["x-wmi-signature"] as string)).toBe(false);
    expect(headers["x-wmi-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(Number(headers["x-wmi-timestamp"])).toBe(Math.floor((t0.getTime() + 31_000) / 1000));
    expect(headers["x-wmi-delivery"]).toBe(afterSecond.id);
    const payload = JSON.parse(body);
    expect(payload).toMatchObject({
      id: afterSecond.id,
      event: "case.created",
      data: {
        case: { id: created.id, number: created.number, title: `Case for the hook ${tag}`, severity: "high" },
        by: { id: lead.id, name: "Hook Lead" },
      },
    });

    // closing the case is the second subscribed event; an update (not subscribed) sends nothing
    await closeCase(lead, created.id, created.updatedAt, { resolution: "benign_positive", note: "test" });
    const events = (await mine()).map((d) => d.event);
    expect(events).toEqual(["case.closed", "case.created"]);
    expect(await deliverDueWebhooks(new Date(t0.getTime() + 32_000))).toMatchObject({ attempted: 1, delivered: 1 });
    expect(JSON.parse(received[2].body)).toMatchObject({ event: "case.closed", data: { case: { status: "closed" } } });
  });

  it("refuses a private target without WEBHOOK_ALLOW_PRIVATE, at save and at delivery, and a metadata address always", async () => {
    const events = ["case.updated" as const];
    await setWebhookEnabled(admin, webhookIds[0], false); // the first test's hook: only this one's deliveries here
    // metadata and link-local: refused even with the flag
    for (const bad of ["http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/x", "http://100.100.100.200/"])
      await expect(createWebhook(admin, { name: "meta", url: bad, events }, SECRET)).rejects.toMatchObject({
        code: "bad_request",
        message: expect.stringMatching(/never sent there/),
      });
    const saved = await createWebhook(admin, { name: `private ${tag}`, url, events }, SECRET);
    webhookIds.push(saved.id);
    process.env.WEBHOOK_ALLOW_PRIVATE = "0";
    try {
      // at save: the message names the address (a name is judged by what it resolves to)
      await expect(createWebhook(admin, { name: "local", url, events }, SECRET)).rejects.toMatchObject({
        code: "bad_request",
        message: expect.stringMatching(
          /^refused 127\.0\.0\.1:\d+: 127\.0\.0\.1 is a loopback address; .*WEBHOOK_ALLOW_PRIVATE=1/,
        ),
      });
      await expect(
        createWebhook(admin, { name: "by name", url: url.replace("127.0.0.1", "localhost"), events }, SECRET),
      ).rejects.toThrow(/(127\.0\.0\.1|::1) is a loopback address/);
      for (const lan of [
        "http://10.0.0.8/hook",
        "http://192.168.1.20/hook",
        "http://172.20.0.1/hook",
        "http://[fd00::1]/",
      ])
        await expect(createWebhook(admin, { name: "lan", url: lan, events }, SECRET)).rejects.toThrow(
          /is a private network address/,
        );

      // at delivery: a webhook saved while allowed (or a name re-pointed since) is not sent to
      const c = await createCase(lead, { title: `Private target ${tag}`, severity: "low" });
      await updateCase(lead, c.id, c.updatedAt, { severity: "medium" });
      const before = received.length;
      const run = await deliverDueWebhooks(new Date(Date.now() + 1000));
      expect(run).toMatchObject({ attempted: 1, delivered: 0, retrying: 1 });
      expect(received).toHaveLength(before);
      const [log] = (await listWebhookDeliveries(admin, 200)).filter((d) => d.webhookName === `private ${tag}`);
      expect(log).toMatchObject({ event: "case.updated", status: "pending", attempts: 1, responseCode: null });
      expect(log.lastError).toMatch(
        /^refused 127\.0\.0\.1:\d+: 127\.0\.0\.1 is a loopback address; webhooks go there only when the server sets WEBHOOK_ALLOW_PRIVATE=1$/,
      );
    } finally {
      process.env.WEBHOOK_ALLOW_PRIVATE = "1";
    }
  });

  it("sends each event type's body: the event in words, ids, values with their words, links; signed with the secret", async () => {
    for (const id of webhookIds) await setWebhookEnabled(admin, id, false);
    const hook = await createWebhook(
      admin,
      {
        name: `all ${tag}`,
        url,
        events: ["case.created", "case.updated", "case.closed", "alert.assigned", "alert.status_changed"],
      },
      SECRET,
    );
    webhookIds.push(hook.id);
    const base = process.env.BETTER_AUTH_URL ?? "http://localhost:3000";
    const sent = async () => {
      const from = received.length;
      await deliverDueWebhooks(new Date(Date.now() + 1000));
      return received.slice(from).map(({ body, headers }) => {
        expect(verifySignature(SECRET, body, headers["x-wmi-signature"] as string)).toBe(true);
        const payload = JSON.parse(body);
        expect(headers["x-wmi-event"]).toBe(payload.event);
        expect(headers["x-wmi-delivery"]).toBe(payload.id);
        expect(new Date(payload.occurredAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
        return payload;
      });
    };

    const c = await createCase(lead, { title: `Bodies ${tag}`, severity: "high", assigneeId: lead.id });
    const caseFields = {
      id: c.id,
      number: c.number,
      title: `Bodies ${tag}`,
      path: `/cases/${c.id}`,
      url: new URL(`/cases/${c.id}`, base).toString(),
      assigneeId: lead.id,
      assignee: { id: lead.id, name: "Hook Lead" },
    };
    expect(await sent()).toMatchObject([
      {
        event: "case.created",
        text: `Case #${c.number} "Bodies ${tag}" created by Hook Lead: High severity, assigned to Hook Lead`,
        data: {
          case: { ...caseFields, status: "open", statusLabel: "Open", severity: "high", severityLabel: "High" },
          action: "case.create",
          by: { id: lead.id, name: "Hook Lead" },
        },
      },
    ]);

    const updated = await updateCase(lead, c.id, c.updatedAt, { severity: "critical" });
    expect(await sent()).toMatchObject([
      {
        event: "case.updated",
        text: `Case #${c.number} "Bodies ${tag}" updated by Hook Lead (severity): Open, Critical severity, assigned to Hook Lead`,
        data: {
          case: { ...caseFields, severity: "critical", severityLabel: "Critical" },
          action: "case.update",
          changes: { severity: { from: "high", to: "critical" } },
        },
      },
    ]);

    await closeCase(lead, c.id, updated.updatedAt, { resolution: "true_positive", note: "bodies" });
    expect(await sent()).toMatchObject([
      {
        event: "case.closed",
        text: `Case #${c.number} "Bodies ${tag}" closed by Hook Lead as True positive`,
        data: {
          case: {
            ...caseFields,
            status: "closed",
            statusLabel: "Closed",
            resolution: "true_positive",
            resolutionLabel: "True positive",
          },
          action: "case.close",
        },
      },
    ]);

    // an alert from a real Sysmon 21 event: assigned, then closed with a verdict
    const host = `host-${tag}`;
    const summary = await ingestStream({
      source: "api",
      fileName: `${tag}.ndjson`,
      stream: Readable.from([
        Buffer.from(JSON.stringify(sysmon21Doc({ host, consumer: "hook", at: new Date().toISOString() }))),
      ]),
    });
    expect(summary.alerts).toBe(1);
    const alert = await getDb().prisma.alert.findFirstOrThrow({
      where: { hostName: host },
      select: { id: true, version: true, consumerName: true },
    });
    const alertFields = {
      id: alert.id,
      hostName: host,
      consumerName: alert.consumerName,
      path: `/alerts/${alert.id}`,
      url: new URL(`/alerts/${alert.id}`, base).toString(),
    };
    expect((await assignAlerts(lead, [alert], lead.id)).updated).toEqual([alert.id]);
    const which = `Alert on ${host}${alert.consumerName ? ` (consumer ${alert.consumerName})` : ""}`;
    expect(await sent()).toMatchObject([
      {
        event: "alert.assigned",
        text: `${which} assigned to Hook Lead by Hook Lead`,
        data: {
          alert: { ...alertFields, status: "open", statusLabel: "Open" },
          action: "alert.assign",
          by: { id: lead.id, name: "Hook Lead" },
          after: { assigneeId: lead.id, assigneeName: "Hook Lead" },
        },
      },
    ]);

    const { version } = await getDb().prisma.alert.findUniqueOrThrow({
      where: { id: alert.id },
      select: { version: true },
    });
    const closed = await setAlertsStatus(admin, [{ id: alert.id, version }], "closed", {
      closeReason: "benign_positive",
      byException: "bodies test",
    });
    expect(closed.updated).toEqual([alert.id]);
    expect(await sent()).toMatchObject([
      {
        event: "alert.status_changed",
        text: `${which} is Closed (Benign positive), by Hook Admin`,
        data: {
          alert: {
            ...alertFields,
            status: "closed",
            statusLabel: "Closed",
            verdict: "benign_positive",
            verdictLabel: "Benign positive",
          },
          action: "alert.close",
          before: { status: "open" },
          after: { status: "closed", closeReason: "benign_positive" },
        },
      },
    ]);
  });

  it("sends a new event within seconds of its commit, without waiting for the worker's minute", async () => {
    const stop = startPromptWebhookDelivery();
    try {
      const from = received.length;
      const t0 = Date.now();
      const c = await createCase(lead, { title: `Prompt ${tag}`, severity: "low" });
      while (received.length === from && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 20));
      const latency = Date.now() - t0;
      console.log(`[webhooks] first delivery ${latency} ms after the case was created`);
      expect(received.length).toBe(from + 1);
      expect(latency).toBeLessThan(3000);
      expect(JSON.parse(received[from].body)).toMatchObject({ event: "case.created", data: { case: { id: c.id } } });
      // the log says delivered (its row is updated just after the receiver answered)
      const mine = async () =>
        (await listWebhookDeliveries(admin, 200)).find(
          (d) => d.event === "case.created" && d.webhookName === `all ${tag}`,
        );
      for (let i = 0; i < 50 && (await mine())?.status !== "delivered"; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(await mine()).toMatchObject({ status: "delivered", attempts: 1, responseCode: 200 });

      // a change that rolls back sends nothing
      const before = received.length;
      await expect(
        getDb().prisma.$transaction(async (tx) => {
          await queueWebhookEvent(tx, "case.created", "never committed", { case: { id: "none" } });
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      await new Promise((r) => setTimeout(r, 500));
      expect(received.length).toBe(before);
    } finally {
      stop();
    }
  });
});
