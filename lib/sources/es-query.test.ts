import { describe, expect, it } from "vitest";
import { checkpointRangeQuery, contextQuery, eqlSearchBody, hostMomentOf, searchPageBody } from "./es-query";

const from = new Date("2030-01-01T00:00:00Z");
const to = new Date("2030-01-01T01:00:00Z");

describe("poll queries", () => {
  it("ranges on event.ingested, else @timestamp", () => {
    const q = checkpointRangeQuery(from, to) as { bool: { should: unknown[]; minimum_should_match: number } };
    expect(q.bool.minimum_should_match).toBe(1);
    expect(JSON.stringify(q.bool.should[0])).toContain('"event.ingested"');
    expect(JSON.stringify(q.bool.should[1])).toMatch(/must_not.*exists.*event\.ingested.*@timestamp/);
  });

  it("sorts with the PIT tiebreaker, or _id without a PIT", () => {
    expect(searchPageBody({}, { pitId: "p" })).toMatchObject({
      pit: { id: "p" },
      sort: [{ "@timestamp": { order: "asc" } }, { _shard_doc: "asc" }],
    });
    expect(searchPageBody({}, { searchAfter: [1, "a"] })).toMatchObject({
      search_after: [1, "a"],
      sort: [{}, { _id: "asc" }],
    });
    expect(searchPageBody({}, {})).not.toHaveProperty("pit");
  });

  it("pushes the rule down with the window as filter, earliest first", () => {
    const body = eqlSearchBody("any where true", from, to, { size: 10 });
    expect(body).toMatchObject({
      query: "any where true",
      result_position: "head",
      size: 10,
      filter: checkpointRangeQuery(from, to),
    });
  });

  it("merges the ±15 minute context of one host's matches", () => {
    const q = contextQuery([
      { host: "A", at: new Date("2030-01-01T00:10:00Z") },
      { host: "A", at: new Date("2030-01-01T00:20:00Z") },
      { host: "B", at: new Date("2030-01-01T05:00:00Z") },
    ]) as { bool: { should: unknown[] } };
    expect(q.bool.should).toHaveLength(2);
    expect(JSON.stringify(q.bool.should[0])).toContain(
      '"gte":"2029-12-31T23:55:00.000Z","lte":"2030-01-01T00:35:00.000Z"',
    );
    expect(contextQuery([])).toBeNull();
  });

  it("reads host and time from nested or dotted documents", () => {
    expect(hostMomentOf({ "@timestamp": "2030-01-01T00:00:00Z", host: { name: "H" } })).toEqual({
      host: "H",
      at: from,
    });
    expect(hostMomentOf({ "@timestamp": "2030-01-01T00:00:00Z", "host.name": "H" })?.host).toBe("H");
    expect(hostMomentOf({ "@timestamp": "2030-01-01T00:00:00Z" })).toBeNull();
  });
});
