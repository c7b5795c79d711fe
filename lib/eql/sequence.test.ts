import { describe, expect, it } from "vitest";
import { isSequence } from "./ast";
import type { SequenceQuery } from "./ast";
import { EqlSyntaxError, parseEqlStatement } from "./parser";
import { matchSequences } from "./sequence";
import type { SequenceEvent } from "./sequence";

// Expectations taken from Elasticsearch's EQL syntax reference ("Sequences", "by keyword",
// "until keyword", "with runs", "Missing events", "How sequence queries handle matches").

function sequence(query: string): SequenceQuery {
  const q = parseEqlStatement(query);
  if (!isSequence(q)) throw new Error("not a sequence");
  return q;
}

function syntaxError(query: string): string {
  try {
    parseEqlStatement(query);
  } catch (e) {
    if (e instanceof EqlSyntaxError) return e.message;
    throw e;
  }
  throw new Error(`expected a syntax error for ${query}`);
}

let clock = Date.parse("2026-01-05T10:00:00Z");
const at = (doc: Record<string, unknown>, secondsLater = 1): SequenceEvent => {
  clock += secondsLater * 1000;
  return { doc, time: clock };
};
const ids = (events: SequenceEvent[], q: SequenceQuery) =>
  matchSequences(q, events).map((m) => m.events.map((i) => (i === null ? null : (events[i].doc.id as number))));

describe("sequence parsing", () => {
  it("reads by, maxspan, per-stage keys, runs, missing stages and until", () => {
    const q = sequence(
      'sequence by host.name with maxspan=5m [process where true] by process.pid ![file where true] by process.pid [library where a == "x"] by ?process.pid with runs=3 until [process where event.type == "end"] by process.pid',
    );
    expect(q.joinKeys.map((k) => k.path)).toEqual(["host.name"]);
    expect(q.maxspanMs).toBe(300_000);
    expect(q.stages).toHaveLength(5);
    expect(q.stages.map((s) => s.missing)).toEqual([false, true, false, false, false]);
    expect(q.stages[4].keys[0].optional).toBe(true);
    expect(q.until?.query.category).toBe("process");
  });

  it("refuses what Elasticsearch refuses, at its position", () => {
    expect(syntaxError("sequence [process where true]")).toMatch(/at least two stages/);
    expect(syntaxError("sequence [a where true] ![b where true]")).toMatch(/need 'with maxspan/);
    expect(syntaxError("sequence with maxspan=5m ![a where true] ![b where true]")).toMatch(/not missing/);
    expect(syntaxError("sequence with maxspan=5 [a where true] [b where true]")).toMatch(/time unit/);
    expect(syntaxError("sequence with maxspan=5w [a where true] [b where true]")).toMatch(/unknown time unit 'w'/);
    expect(syntaxError("sequence with maxspan=5m by x [a where true] [b where true]")).toMatch(/before 'with'/);
    expect(syntaxError("sequence [a where true] by x [b where true]")).toMatch(/same number of join keys/);
    expect(syntaxError("sequence [a where true] with runs=101 [b where true]")).toMatch(/between 1 and 100/);
    expect(syntaxError("sequence [a where true] [b where true] | head 1")).toMatch(/pipes/);
    const e = syntaxError("sequence\n  [a where x == ]\n  [b where true]");
    expect(e).toMatch(/^line 2, column 17:/);
  });
});

describe("sequence matching", () => {
  it("runs one state machine per join key; a newer pending sequence overwrites an older one", () => {
    // the eleven events of "How sequence queries handle matches"
    const rows: [string, string][] = [
      ["root", "attrib"],
      ["root", "attrib"],
      ["elkbee", "bash"],
      ["root", "bash"],
      ["root", "bash"],
      ["elkbee", "attrib"],
      ["root", "attrib"],
      ["elkbee", "bash"],
      ["root", "cat"],
      ["elkbee", "cat"],
      ["root", "cat"],
    ];
    const events = rows.map(([user, name], i) =>
      at({ id: i + 1, event: { category: "process" }, user: { name: user }, process: { name: name } }),
    );
    const q = sequence(`sequence by user.name
      [process where process.name == "attrib"]
      [process where process.name == "bash"]
      [process where process.name == "cat"]`);
    expect(ids(events, q)).toEqual([
      [2, 4, 9],
      [6, 8, 10],
    ]);
    expect(matchSequences(q, events).map((m) => m.keys)).toEqual([["root"], ["elkbee"]]);
  });

  it("until expires a sequence when it comes between its events, not after (A,B and A,B,C match; A,C,B not)", () => {
    const q = sequence('sequence by ID [any where t == "A"] [any where t == "B"] until [any where t == "C"]');
    const events = [
      ["1", "A"],
      ["1", "B"],
      ["2", "A"],
      ["2", "B"],
      ["2", "C"],
      ["3", "A"],
      ["3", "C"],
      ["3", "B"],
    ].map(([id, t], i) => at({ id: i, ID: id, t }));
    expect(matchSequences(q, events).map((m) => m.keys[0])).toEqual(["1", "2"]);
  });

  it("maxspan counts from the first event", () => {
    const q = sequence('sequence with maxspan=15m [file where file.extension == "exe"] [process where true]');
    const file = { event: { category: "file" }, file: { extension: "exe" } };
    const proc = { event: { category: "process" } };
    expect(ids([at({ id: 1, ...file }), at({ id: 2, ...proc }, 15 * 60)], q)).toEqual([[1, 2]]);
    expect(ids([at({ id: 1, ...file }), at({ id: 2, ...proc }, 15 * 60 + 1)], q)).toEqual([]);
  });

  it("joins on values in different fields with per-stage by", () => {
    const q = sequence(
      'sequence by user.name [file where file.extension == "exe"] by file.path [process where true] by process.executable',
    );
    const events = [
      at({ id: 1, event: { category: "file" }, user: { name: "u" }, file: { extension: "exe", path: "C:\\a.exe" } }),
      at({ id: 2, event: { category: "process" }, user: { name: "u" }, process: { executable: "C:\\b.exe" } }),
      at({ id: 3, event: { category: "process" }, user: { name: "v" }, process: { executable: "C:\\a.exe" } }),
      at({ id: 4, event: { category: "process" }, user: { name: "u" }, process: { executable: "C:\\a.exe" } }),
    ];
    expect(ids(events, q)).toEqual([[1, 4]]);
  });

  it("with runs=3 repeats a stage", () => {
    const q = sequence(
      'sequence [process where event.type == "creation"] [library where process.name == "regsvr32.exe"] with runs=3 [registry where true]',
    );
    const p = { event: { category: "process", type: "creation" } };
    const l = { event: { category: "library" }, process: { name: "regsvr32.exe" } };
    const r = { event: { category: "registry" } };
    const three = [
      at({ id: 1, ...p }),
      at({ id: 2, ...l }),
      at({ id: 3, ...l }),
      at({ id: 4, ...l }),
      at({ id: 5, ...r }),
    ];
    expect(ids(three, q)).toEqual([[1, 2, 3, 4, 5]]);
    const two = [at({ id: 1, ...p }), at({ id: 2, ...l }), at({ id: 3, ...l }), at({ id: 5, ...r })];
    expect(ids(two, q)).toEqual([]);
  });

  it("a missing join key drops the event unless the key is optional (?field)", () => {
    const events = [at({ id: 1, event: { category: "a" } }), at({ id: 2, event: { category: "b" } })];
    expect(ids(events, sequence("sequence by process.pid [a where true] [b where true]"))).toEqual([]);
    expect(ids(events, sequence("sequence by ?process.pid [a where true] [b where true]"))).toEqual([[1, 2]]);
  });

  it("missing events: a logon not followed by a logoff within maxspan", () => {
    const q = sequence(`sequence by host.name, user.name with maxspan=5s
      [ authentication where event.code : "4624" ]
      ![ authentication where event.code : "4647" ]`);
    const auth = (id: number, code: string, user: string) => ({
      id,
      event: { category: "authentication", code },
      host: { name: "h" },
      user: { name: user },
    });
    const events = [
      at(auth(1, "4624", "alice")),
      at(auth(2, "4647", "alice"), 2), // logoff 2 s later: alice's logon is not a match
      at(auth(3, "4624", "bob")),
      at(auth(4, "4647", "bob"), 6), // 6 s later: outside maxspan, bob's logon matches
      at(auth(5, "4624", "carol")),
    ];
    expect(ids(events, q)).toEqual([
      [3, null],
      [5, null],
    ]);
  });

  it("missing events between stages", () => {
    const q = sequence('sequence with maxspan=1h [any where t == "A"] ![any where t == "X"] [any where t == "B"]');
    expect(ids([at({ id: 1, t: "A" }), at({ id: 2, t: "B" })], q)).toEqual([[1, null, 2]]);
    expect(ids([at({ id: 1, t: "A" }), at({ id: 2, t: "X" }), at({ id: 3, t: "B" })], q)).toEqual([]);
  });
});
