import { expect, test } from "@playwright/test";
import { loginAs } from "../helpers/auth";

test("admins manage users and tokens; others are turned away", async ({ page }) => {
  const tag = `adm${Date.now().toString(36)}`;
  await loginAs(page, "analyst");
  for (const path of ["/admin/users", "/admin/tokens", "/audit", "/metrics", "/queue", "/qa"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/forbidden/);
  }
  const anon = await page.request.get("/cases/00000000-0000-0000-0000-000000000000/export?format=json");
  expect(anon.status()).toBe(404);

  await page.goto("/");
  await page.getByRole("button", { name: "Sign out" }).click();
  await loginAs(page, "admin");
  await page.goto("/admin/users");
  await page.getByLabel("Name", { exact: true }).fill(`New ${tag}`);
  await page.getByLabel("Email", { exact: true }).fill(`${tag}@demo.local`);
  await page.locator("select[name=role]").selectOption("analyst");
  await page.getByLabel("Initial password").fill("initial-pass-1");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("status")).toContainText(`created ${tag}@demo.local`);
  const row = page.getByTestId(`user-${tag}@demo.local`);
  // a role change asks first: dismissed, nothing changes; confirmed, the new role in words
  const role = row.getByLabel(`Role of ${tag}@demo.local`);
  page.once("dialog", (d) => d.dismiss());
  await role.selectOption("lead");
  await expect(role).toHaveValue("analyst");
  page.once("dialog", (d) => {
    expect(d.message()).toContain("from Analyst to Lead");
    void d.accept();
  });
  await role.selectOption("lead");
  await expect(row.getByRole("status")).toContainText(`${tag}@demo.local is now Lead`);
  await page.reload();
  await expect(row).toContainText("Lead");
  await row.getByRole("button", { name: "Disable" }).click();
  await expect(row).toContainText("disabled");

  await page.goto("/admin/tokens");
  await page.getByLabel("Token name").fill(`ci ${tag}`);
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").locator("code").textContent())!.trim();
  expect(token).toMatch(/^wmit_/);
  const withToken = await page.request.post(`/api/ingest?filename=${tag}.ndjson`, {
    data: '{"@timestamp":"2024-01-01T00:00:00Z"}\n',
    headers: { authorization: `Bearer ${token}` },
  });
  expect(withToken.status()).toBe(200);
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: `Revoke ci ${tag}` }).click();
  await expect(page.getByRole("row", { name: new RegExp(`ci ${tag}`) })).toContainText("revoked");
  const revoked = await page.request.post(`/api/ingest?filename=${tag}.ndjson`, {
    data: '{"@timestamp":"2024-01-01T00:00:00Z"}\n',
    headers: { authorization: `Bearer ${token}` },
  });
  expect(revoked.status()).toBe(401);
});
