import { describe, expect, it } from "vitest";
import { openSecret, sealSecret, SecretBoxError } from "./secret-box";

const KEY = "an-app-secret-of-at-least-32-characters!";

describe("secret box", () => {
  it("round-trips, with a fresh IV each time", () => {
    const a = sealSecret("VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==", KEY);
    const b = sealSecret("VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==", KEY);
    expect(a).not.toBe(b);
    expect(a).not.toContain("VnVh");
    expect(openSecret(a, KEY)).toBe("VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==");
  });

  it("refuses another key and a tampered value", () => {
    const sealed = sealSecret("p@ss", KEY);
    expect(() => openSecret(sealed, `${KEY}x`)).toThrow(SecretBoxError);
    const parts = sealed.split(".");
    parts[3] = Buffer.from("nope").toString("base64url");
    expect(() => openSecret(parts.join("."), KEY)).toThrow(/cannot be decrypted/);
    expect(() => openSecret("plain", KEY)).toThrow(/not a sealed secret/);
  });

  it("needs an app secret", () => {
    expect(() => sealSecret("x", "")).toThrow(/BETTER_AUTH_SECRET/);
  });
});
