import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { retryDelayMs, signBody, verifySignature, webhookInputSchema } from "@/lib/webhooks/webhook-message";

describe("webhook signature", () => {
  it("is GitHub's scheme: sha256=<hex HMAC of the raw body>", () => {
    const body = '{"event":"case.created"}';
    const hex = createHmac("sha256", "s3cret-s3cret-s3cret").update(body).digest("hex");
    expect(signBody("s3cret-s3cret-s3cret", body)).toBe(`sha256=${hex}`);
    expect(verifySignature("s3cret-s3cret-s3cret", body, `sha256=${hex}`)).toBe(true);
    expect(verifySignature("other-secret-other", body, `sha256=${hex}`)).toBe(false);
    expect(verifySignature("s3cret-s3cret-s3cret", `${body} `, `sha256=${hex}`)).toBe(false);
    expect(verifySignature("s3cret-s3cret-s3cret", body, null)).toBe(false);
  });
});

describe("webhook retries", () => {
  it("back off exponentially, capped at two hours", () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20)).toBe(2 * 3600_000);
  });
});

describe("webhook input", () => {
  const ok = { name: "chat", url: "https://chat.example/hook", events: ["case.created"] };
  it("takes http(s) URLs only, without credentials", () => {
    expect(webhookInputSchema.safeParse(ok).success).toBe(true);
    expect(webhookInputSchema.safeParse({ ...ok, url: "http://127.0.0.1:9000/x" }).success).toBe(true);
    for (const url of [
      "file:///etc/passwd",
      "javascript:alert(1)",
      "ftp://x.example/",
      "gopher://x",
      "https://u:p@x.example/",
    ])
      expect(webhookInputSchema.safeParse({ ...ok, url }).success, url).toBe(false);
  });
  it("needs an event", () => {
    expect(webhookInputSchema.safeParse({ ...ok, events: [] }).success).toBe(false);
    expect(webhookInputSchema.safeParse({ ...ok, events: ["case.deleted"] }).success).toBe(false);
  });
});
