import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { getUserPreferences, updateUserPreferences } from "@/lib/data/user-preferences";
import { closeDb, getDb } from "@/lib/db/client";
import { DEFAULT_PREFERENCES } from "@/lib/preferences/preferences";

const run = `pref${process.pid}x${Date.now()}`;
const ana: Actor = { id: `${run}-ana`, role: "analyst" };
const lee: Actor = { id: `${run}-lee`, role: "lead" };

beforeAll(async () => {
  for (const u of [ana, lee])
    await getDb().prisma.user.create({ data: { id: u.id, name: u.id, email: `${u.id}@test.local`, role: u.role } });
});

afterAll(async () => {
  await getDb().prisma.user.deleteMany({ where: { id: { startsWith: run } } });
  await closeDb();
});

describe("user preferences", () => {
  it("are the defaults until chosen, then saved per user on the server", async () => {
    expect(await getUserPreferences(ana)).toEqual(DEFAULT_PREFERENCES);
    await updateUserPreferences(ana, { theme: "dark" });
    await updateUserPreferences(ana, { timeZone: "Europe/Berlin" });
    await updateUserPreferences(ana, { alertColumns: { order: ["host", "time"], hidden: ["risk"] } });
    expect(await getUserPreferences(ana)).toEqual({
      theme: "dark",
      timeZone: "Europe/Berlin",
      alertColumns: { order: ["host", "time"], hidden: ["risk"] },
    });
    // another user's are untouched
    expect(await getUserPreferences(lee)).toEqual(DEFAULT_PREFERENCES);
  });

  it("go back to the default columns with null, keeping the other choices", async () => {
    await updateUserPreferences(ana, { alertColumns: null });
    expect(await getUserPreferences(ana)).toEqual({ theme: "dark", timeZone: "Europe/Berlin", alertColumns: null });
  });
});
