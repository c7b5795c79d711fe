process.env.BETTER_AUTH_SECRET ??= "test-secret-for-the-webhook-integration-tests-0123456789";
// the receiver listens on 127.0.0.1: allowed only with this flag (one test below unsets it)
process.env.WEBHOOK_ALLOW_PRIVATE = "1";

import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeCase, createCase, updateCase } from "@/lib/data/cases";
import {
  createWebhook,
  deleteWebhook,
  listWebhookDeliveries,
  listWebhooks,
  setWebhookEnabled,
} from "@/lib/data/webhooks";
import { closeDb, getDb } from "@/lib/db/client";
import { deliverDueWebhooks } from "@/lib/services/webhook-service";
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
});
