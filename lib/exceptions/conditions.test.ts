import { describe, expect, it } from "vitest";
import {
  compileConditions,
  conditionSchema,
  conditionsSchema,
  exceptionStatus,
  matchesConditions,
  type ExceptionCondition,
} from "./conditions";

const doc = {
  host: { name: "WS-01" },
  user: { name: ["alice", "svc_backup"] },
  "winlog.event_data": {
    Consumer: '"\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name=\\"SCCM Agent\\""',
    Operation: "Created",
  },
  process: { pid: 4242, executable: "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe" },
  tags: [{ v: "a" }, { v: "b" }],
  empty: null,
};

const c = (
  field: string,
  operator: ExceptionCondition["operator"],
  rest: Partial<ExceptionCondition> = {},
): ExceptionCondition => ({
  field,
  operator,
  caseSensitive: true,
  ...rest,
});
const holds = (cond: ExceptionCondition) => matchesConditions([cond], doc);

describe("operators", () => {
  it("is / is not", () => {
    expect(holds(c("host.name", "is", { value: "WS-01" }))).toBe(true);
    expect(holds(c("host.name", "is", { value: "WS-02" }))).toBe(false);
    expect(holds(c("host.name", "is_not", { value: "WS-02" }))).toBe(true);
    expect(holds(c("host.name", "is_not", { value: "WS-01" }))).toBe(false);
  });
  it("is one of / is not one of", () => {
    expect(holds(c("host.name", "is_one_of", { values: ["x", "WS-01"] }))).toBe(true);
    expect(holds(c("host.name", "is_one_of", { values: ["x", "y"] }))).toBe(false);
    expect(holds(c("host.name", "is_not_one_of", { values: ["x", "y"] }))).toBe(true);
    expect(holds(c("host.name", "is_not_one_of", { values: ["WS-01"] }))).toBe(false);
  });
  it("matches / does not match with * and ?", () => {
    expect(
      holds(c("winlog.event_data.Consumer", "matches", { value: "*CommandLineEventConsumer.Name=*SCCM Agent*" })),
    ).toBe(true);
    expect(holds(c("host.name", "matches", { value: "WS-0?" }))).toBe(true);
    expect(holds(c("host.name", "matches", { value: "WS-?" }))).toBe(false);
    expect(holds(c("process.executable", "matches", { value: "C:\\Windows\\*\\WmiPrvSE.exe" }))).toBe(true);
    expect(holds(c("host.name", "does_not_match", { value: "DC-*" }))).toBe(true);
    expect(holds(c("host.name", "does_not_match", { value: "WS-*" }))).toBe(false);
  });
  it("exists / does not exist", () => {
    expect(holds(c("host.name", "exists"))).toBe(true);
    expect(holds(c("nope.field", "exists"))).toBe(false);
    expect(holds(c("empty", "exists"))).toBe(false); // null is not a value (Elasticsearch `exists`)
    expect(holds(c("nope.field", "does_not_exist"))).toBe(true);
    expect(holds(c("host.name", "does_not_exist"))).toBe(false);
  });
  it("numbers compare by their text", () => {
    expect(holds(c("process.pid", "is", { value: "4242" }))).toBe(true);
  });
});

describe("case sensitivity is explicit", () => {
  it("case-sensitive conditions do not match a differently cased value", () => {
    expect(holds(c("host.name", "is", { value: "ws-01" }))).toBe(false);
    expect(holds(c("host.name", "is_one_of", { values: ["ws-01"] }))).toBe(false);
    expect(holds(c("host.name", "matches", { value: "ws-*" }))).toBe(false);
    expect(holds(c("host.name", "is_not", { value: "ws-01" }))).toBe(true);
  });
  it("case-insensitive conditions do", () => {
    const ci = { caseSensitive: false };
    expect(holds(c("host.name", "is", { value: "ws-01", ...ci }))).toBe(true);
    expect(holds(c("host.name", "is_one_of", { values: ["WS-99", "ws-01"], ...ci }))).toBe(true);
    expect(holds(c("host.name", "matches", { value: "ws-*", ...ci }))).toBe(true);
    expect(holds(c("host.name", "is_not", { value: "ws-01", ...ci }))).toBe(false);
    expect(holds(c("host.name", "does_not_match", { value: "WS-*", ...ci }))).toBe(false);
  });
});

describe("multi-valued fields (any value for positive, no value for negative)", () => {
  it("positive conditions hold if one value matches", () => {
    expect(holds(c("user.name", "is", { value: "svc_backup" }))).toBe(true);
    expect(holds(c("tags.v", "is", { value: "b" }))).toBe(true);
    expect(holds(c("user.name", "matches", { value: "svc_*" }))).toBe(true);
  });
  it("negative conditions hold only if no value matches", () => {
    expect(holds(c("user.name", "is_not", { value: "alice" }))).toBe(false);
    expect(holds(c("user.name", "is_not", { value: "bob" }))).toBe(true);
    expect(holds(c("user.name", "is_not_one_of", { values: ["bob", "svc_backup"] }))).toBe(false);
    expect(holds(c("user.name", "does_not_match", { value: "svc_*" }))).toBe(false);
  });
});

describe("missing fields", () => {
  it("positive conditions do not hold, negative ones do", () => {
    expect(holds(c("source.ip", "is", { value: "x" }))).toBe(false);
    expect(holds(c("source.ip", "is_one_of", { values: ["x"] }))).toBe(false);
    expect(holds(c("source.ip", "matches", { value: "*" }))).toBe(false);
    expect(holds(c("source.ip", "is_not", { value: "x" }))).toBe(true);
    expect(holds(c("source.ip", "is_not_one_of", { values: ["x"] }))).toBe(true);
    expect(holds(c("source.ip", "does_not_match", { value: "*" }))).toBe(true);
  });
  it("an object leaf never equals a string", () => {
    expect(holds(c("winlog", "is", { value: "[object Object]" }))).toBe(false);
  });
});

describe("conditions are ANDed", () => {
  it("all must hold", () => {
    const host = c("host.name", "is", { value: "WS-01" });
    expect(matchesConditions([host, c("user.name", "is", { value: "alice" })], doc)).toBe(true);
    expect(matchesConditions([host, c("user.name", "is", { value: "bob" })], doc)).toBe(false);
  });
  it("an empty exception matches nothing", () => {
    expect(compileConditions([])(doc)).toBe(false);
  });
});

describe("schema", () => {
  it("requires values where the operator takes them and strips the rest", () => {
    expect(conditionSchema.safeParse(c("host.name", "is")).success).toBe(false);
    expect(conditionSchema.safeParse(c("host.name", "is_one_of", { values: [""] })).success).toBe(false);
    const parsed = conditionSchema.parse(c("host.name", "exists", { value: "junk", values: ["a"] }));
    expect(parsed).toEqual({ field: "host.name", operator: "exists", caseSensitive: true });
    expect(conditionSchema.parse(c("h", "is_one_of", { values: ["a", "a", "", "b"] })).values).toEqual(["a", "b"]);
  });
  it("rejects empty lists and bad field names", () => {
    expect(conditionsSchema.safeParse([]).success).toBe(false);
    expect(conditionSchema.safeParse(c("host name", "exists")).success).toBe(false);
  });
});

describe("expiry", () => {
  const at = new Date("2024-05-01T00:00:00Z");
  it("expires at expiresAt (inclusive), disabled wins", () => {
    expect(exceptionStatus({ enabled: true, expiresAt: null }, at)).toBe("active");
    expect(exceptionStatus({ enabled: true, expiresAt: new Date("2024-05-01T00:00:01Z") }, at)).toBe("active");
    expect(exceptionStatus({ enabled: true, expiresAt: at }, at)).toBe("expired");
    expect(exceptionStatus({ enabled: false, expiresAt: null }, at)).toBe("disabled");
  });
});
