import { describe, expect, it } from "vitest";
import { appOrigins, isCrossOriginRequest } from "./same-origin";

const origins = appOrigins("http://localhost:3000/api/ingest", "https://triage.example");
const h = (init: Record<string, string>) => new Headers(init);

describe("isCrossOriginRequest", () => {
  it("trusts Fetch Metadata first: only same-origin (or typed by the user) passes", () => {
    expect(isCrossOriginRequest(h({ "sec-fetch-site": "same-origin" }), origins)).toBe(false);
    expect(isCrossOriginRequest(h({ "sec-fetch-site": "none" }), origins)).toBe(false);
    // another port of the same host is same-site, not same-origin
    expect(isCrossOriginRequest(h({ "sec-fetch-site": "same-site", origin: "http://localhost:3000" }), origins)).toBe(
      true,
    );
    expect(isCrossOriginRequest(h({ "sec-fetch-site": "cross-site" }), origins)).toBe(true);
  });

  it("falls back to Origin", () => {
    expect(isCrossOriginRequest(h({ origin: "http://localhost:3000" }), origins)).toBe(false);
    expect(isCrossOriginRequest(h({ origin: "https://triage.example" }), origins)).toBe(false);
    expect(isCrossOriginRequest(h({ origin: "http://localhost:8080" }), origins)).toBe(true);
    expect(isCrossOriginRequest(h({ origin: "null" }), origins)).toBe(true);
  });

  it("lets through what no browser sent", () => {
    expect(isCrossOriginRequest(h({}), origins)).toBe(false);
  });
});
