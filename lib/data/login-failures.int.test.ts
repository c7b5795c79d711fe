import { afterAll, describe, expect, it } from "vitest";
import { LoginThrottle } from "@/lib/auth/login-rate-limit";
import { PostgresLoginFailureStore } from "@/lib/data/login-failures";
import { closeDb, getDb } from "@/lib/db/client";
import { clientAddress, TrustedProxies } from "@/lib/http/client-address";

const tag = `throttle-${process.pid}-${Date.now()}`;
const email = (label: string) => `${label}-${tag}@test.local`;

afterAll(async () => {
  await getDb().prisma.loginFailure.deleteMany({ where: { key: { contains: tag } } });
  await closeDb();
});

// Two app instances: each has its own throttle object and store, nothing shared in memory.
const instanceA = () => new LoginThrottle(new PostgresLoginFailureStore());
const instanceB = () => new LoginThrottle(new PostgresLoginFailureStore());

describe("the sign-in throttle shared through Postgres", () => {
  it("refuses on one instance the guesses made on another", async () => {
    const [a, b] = [instanceA(), instanceB()];
    const account = email("shared");
    for (let i = 0; i < 5; i++) {
      expect(await (i % 2 ? a : b).retryAfter(null, account)).toBe(0);
      await (i % 2 ? a : b).recordFailure(null, account);
    }
    expect(await a.retryAfter(null, account)).toBeGreaterThan(0);
    expect(await b.retryAfter(null, account.toUpperCase())).toBeGreaterThan(0);
    expect(await b.retryAfter(null, email("untouched"))).toBe(0);
    // a success on either instance clears it for both
    await a.recordSuccess(null, account);
    expect(await b.retryAfter(null, account)).toBe(0);
  });

  it("counts per client address behind a trusted proxy, and per account across addresses", async () => {
    const [a, b] = [instanceA(), instanceB()];
    const proxies = new TrustedProxies(["10.0.0.1"]);
    const from = (ip: string) => clientAddress(new Headers({ "x-forwarded-for": `${ip}, 10.0.0.1` }), proxies);
    const account = email("per-ip");
    for (let i = 0; i < 5; i++) await (i % 2 ? a : b).recordFailure(from("203.0.113.5"), account);
    expect(await a.retryAfter(from("203.0.113.5"), account)).toBeGreaterThan(0);
    expect(await b.retryAfter(from("198.51.100.8"), account)).toBe(0);
    // five more from other addresses reach the account's own limit (10 a quarter hour)
    for (let i = 0; i < 5; i++) await (i % 2 ? a : b).recordFailure(from(`198.51.100.${20 + i}`), account);
    expect(await b.retryAfter(from("198.51.100.99"), account)).toBeGreaterThan(0);
    // without a trusted proxy the forged header is ignored: every guess is one unknown client
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.5" }), new TrustedProxies([]))).toBeNull();
  });

  it("stops one address spraying many accounts on both instances", async () => {
    const [a, b] = [instanceA(), instanceB()];
    const ip = `192.0.2.${process.pid % 250}`;
    await getDb().prisma.loginFailure.deleteMany({ where: { scope: "address", key: ip } });
    for (let i = 0; i < 30; i++) await (i % 2 ? a : b).recordFailure(ip, email(`spray${i}`));
    expect(await a.retryAfter(ip, email("fresh"))).toBeGreaterThan(0);
    expect(await b.retryAfter(ip, email("fresh"))).toBeGreaterThan(0);
    await getDb().prisma.loginFailure.deleteMany({ where: { scope: "address", key: ip } });
  });

  it("forgets a key's failures older than its window when it fails again", async () => {
    const store = new PostgresLoginFailureStore();
    const key = `old|${email("window")}`;
    await store.addFailure("client", key, Date.now() - 120_000, 0);
    await store.addFailure("client", key, Date.now(), Date.now() - 60_000);
    expect(await getDb().prisma.loginFailure.count({ where: { scope: "client", key } })).toBe(1);
    // a key that never fails again is forgotten when anyone fails an hour later
    const stale = `stale|${email("window")}`;
    await store.addFailure("account", stale, Date.now() - 2 * 3600_000, 0);
    await store.addFailure("client", key, Date.now(), Date.now() - 60_000);
    expect(await getDb().prisma.loginFailure.count({ where: { key: stale } })).toBe(0);
  });
});
