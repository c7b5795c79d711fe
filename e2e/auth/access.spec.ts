import { expect, test } from "@playwright/test";
import { loginAs } from "../helpers/auth";

test("signed-out visitors are sent to the login page, and a wrong password is refused", async ({ page }) => {
  await page.goto("/ingest");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill("analyst@demo.local");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("sign-in-error")).toContainText("wrong email or password");
});

test("a trainer may read but not upload; the API refuses without a session", async ({ page, request }) => {
  await loginAs(page, "trainer");
  await page.goto("/upload");
  await expect(page).toHaveURL(/\/forbidden/);
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  const anonymous = await request.post("/api/ingest?filename=x.ndjson", {
    data: '{"@timestamp":"2024-01-01T00:00:00Z"}\n',
  });
  expect(anonymous.status()).toBe(401);
  expect((await anonymous.json()).error.code).toBe("unauthenticated");
  const asTrainer = await page.request.post("/api/ingest?filename=x.ndjson", {
    data: '{"@timestamp":"2024-01-01T00:00:00Z"}\n',
  });
  expect(asTrainer.status()).toBe(403);
});

test("signing out ends the session", async ({ page }) => {
  await loginAs(page, "lead");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
});

test("the login page carries the app icon and asks search engines to stay out", async ({ page, request }) => {
  await page.goto("/login");
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute("href", /\/favicon\.svg/);
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);
  const icon = await request.get("/favicon.svg");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/image\/svg\+xml/);
  expect(await (await request.get("/robots.txt")).text()).toMatch(/^Disallow: \/$/m);
});
