import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { loginAs } from "../helpers/auth";
import { screenshotPath } from "../helpers/screenshot-path";

// A minimal cluster the app polls: the root info, a point in time, and one page of hits.
let cluster: Server;
let clusterUrl = "";
const run = `${Date.now()}`;

test.beforeAll(async () => {
  cluster = createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json", "x-elastic-product": "Elasticsearch" });
      res.end(JSON.stringify(body));
    };
    req.resume();
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0];
      if (path === "/")
        return send({
          name: "n1",
          cluster_name: `e2e-cluster-${run}`,
          version: { number: "8.15.0", build_flavor: "default" },
          tagline: "You Know, for Search",
        });
      if (path.endsWith("/_pit"))
        return req.method === "DELETE" ? send({ succeeded: true, num_freed: 1 }) : send({ id: "pit-1" });
      if (path.endsWith("/_search")) {
        const now = new Date().toISOString();
        return send({
          pit_id: "pit-1",
          hits: {
            hits: [1, 2, 3].map((i) => ({
              _index: "winlogbeat-8.15.0",
              _id: `e2e-${run}-${i}`,
              _source: { "@timestamp": now, event: { code: "1", ingested: now }, host: { name: `E2E-${run}` } },
              sort: [Date.now(), i],
            })),
          },
        });
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => cluster.listen(0, "127.0.0.1", resolve));
  clusterUrl = `http://127.0.0.1:${(cluster.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => cluster.close(() => resolve()));
});

async function addSource(page: import("@playwright/test").Page, name: string, url: string) {
  const form = page.getByRole("form", { name: "New source" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Cluster URL").fill(url);
  await form.getByLabel(/^API key \(/).fill("c2VjcmV0OmtleQ==");
  return form;
}

test("an admin adds a cluster, tests it, polls it, and never sees the secret again", async ({ page }) => {
  await loginAs(page, "admin");
  await page.goto("/admin/sources");
  const name = `Prod cluster ${run}`;
  const form = await addSource(page, name, clusterUrl);
  await expect(form.getByLabel(/Index patterns/)).toHaveValue(
    "winlogbeat-*, logs-windows.sysmon_operational-*, logs-endpoint.events.api-*",
  );
  await form.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByTestId("connection-test")).toHaveText(
    `Connected: Elasticsearch 8.15.0, cluster “e2e-cluster-${run}”`,
  );
  await form.getByRole("button", { name: "Add source" }).click();
  const row = page.getByTestId(`source-${name}`);
  await expect(row).toContainText("API key ••• set");
  await expect(row.getByTestId("source-health")).toHaveText("unknown");

  await row.getByRole("button", { name: `Poll ${name} now` }).click();
  await expect(row.getByTestId("source-health")).toHaveText("healthy", { timeout: 30_000 });
  await expect(row.getByTestId("source-taken")).toHaveText("3");
  await expect(row.getByTestId("source-checkpoint")).not.toHaveText("—");
  await page.screenshot({ path: screenshotPath("sources-list.png"), fullPage: true });

  // the edit page shows the secret as set, never its value
  await row.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const secret = page.getByLabel(/^API key \(/);
  await expect(secret).toHaveValue("");
  await expect(secret).toHaveAttribute("placeholder", /••• set/);
  expect(await page.content()).not.toContain("c2VjcmV0OmtleQ==");
});

test("a cluster that is down shows unhealthy with the error", async ({ page }) => {
  await loginAs(page, "admin");
  await page.goto("/admin/sources");
  const name = `Down cluster ${run}`;
  const form = await addSource(page, name, "http://127.0.0.1:9");
  await form.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByTestId("connection-test")).toContainText("Connection failed: cannot reach the cluster");
  await form.getByRole("button", { name: "Add source" }).click();
  const row = page.getByTestId(`source-${name}`);
  await row.getByRole("button", { name: `Poll ${name} now` }).click();
  await expect(row.getByTestId("source-health")).toHaveText("unhealthy", { timeout: 60_000 });
  await expect(row.getByTestId("source-error")).toContainText("cannot reach the cluster");
});

test("analysts cannot open the sources page", async ({ page }) => {
  await loginAs(page, "analyst");
  await page.goto("/admin/sources");
  await expect(page).toHaveURL(/\/forbidden/);
});
