import { expect, test } from "@playwright/test";
import { loginAs } from "../helpers/auth";
import { assignToAnalystAndOpen } from "../helpers/training";

test("a trainer assigns a pack scenario, the junior completes it with one hint, the trainer sees the score and the replay", async ({
  page,
  browser,
}) => {
  const title = `Atomic drill ${Date.now().toString(36)}`;

  // trainer: install the shipped packs, build a scenario from one, assign it to the analyst
  await loginAs(page, "trainer");
  await page.goto("/training/manage");
  await page.getByRole("button", { name: "Install shipped packs" }).click();
  const results = page.getByTestId("pack-install-results");
  await expect(results).toContainText("Atomic Red Team: CommandLineEventConsumer persistence");
  await expect(results).not.toContainText("failed");
  await expect(page.getByTestId("scenario-table")).toContainText("BotConsumer23");

  await page.getByLabel("Pack").selectOption({ label: "Atomic Red Team: CommandLineEventConsumer persistence" });
  await page.getByLabel("Scenario title").fill(title);
  await page.getByRole("button", { name: "Create scenario" }).click();
  await expect(page.getByTestId("scenario-table")).toContainText(title);

  // junior: works through it, taking one hint
  const { junior, context: juniorContext } = await assignToAnalystAndOpen(page, browser, title);
  await expect(junior.getByTestId("training-alert-reason")).toContainText("MSEDGEWIN10");

  await junior.getByTestId("step-overview").locator("summary").click();
  await expect(junior.getByTestId("step-overview")).toContainText("AtomicRedTeam-WMIPersistence-Example");

  const fields = junior.getByTestId("step-investigation.sysmon-21-fields");
  await fields.locator("summary").click();
  const type = junior.getByTestId("question-consumer-type");
  await type.getByLabel("CommandLineEventConsumer").check();
  await type.getByRole("button", { name: "Submit answer" }).click();
  await expect(type.getByRole("status")).toContainText("Correct (+10)");

  const commandStep = junior.getByTestId("step-investigation.consumer-command");
  await commandStep.locator("summary").click();
  const command = junior.getByTestId("question-command");
  await command.getByRole("button", { name: /Take hint 1 \(−3 points\)/ }).click();
  await expect(command).toContainText("Hint 1 (−3)");
  await command.getByRole("textbox").fill("notepad.exe");
  await command.getByRole("button", { name: "Submit answer" }).click();
  await expect(command.getByRole("status")).toContainText("Correct (+7)");

  const name = junior.getByTestId("question-consumer-name");
  await name.getByRole("textbox").fill("calc");
  await name.getByRole("button", { name: "Submit answer" }).click();
  await expect(name.getByRole("status")).toContainText("Expected: AtomicRedTeam-WMIPersistence-Example");

  await junior.getByLabel(/^True positive/).check();
  await junior.getByRole("button", { name: "Submit verdict and finish" }).click();
  // 10 + 0 + (10 − 3) + verdict 10, of 5 questions (45) + verdict (10)
  await expect(junior.getByTestId("final-score")).toContainText("Final score: 27 / 55");
  await junior.screenshot({ path: "test-results/training-junior.png", fullPage: true });
  await juniorContext.close();

  // trainer: the score, reduced by the hint, and the replay
  await page.goto("/training/manage");
  const row = page.getByTestId("progress-table").locator("tr", { hasText: title });
  await expect(row).toContainText("Completed");
  await expect(row.getByTestId("progress-score")).toHaveText("27 / 55");
  await row.getByRole("link", { name: "Replay" }).click();
  await expect(page.getByTestId("replay-score")).toContainText("27 / 55");
  await expect(page.getByTestId("replay-score")).toContainText("1 hint(s) taken");
  await expect(page.getByTestId("replay-frame")).toContainText("Opened");
  await page.getByRole("link", { name: "Took hint 1 (−3 points) — Consumer command or script" }).click();
  await expect(page.getByTestId("replay-frame")).toContainText("Hint: Look for the Sysmon 20");
  await page.getByRole("link", { name: "Next →" }).click();
  await expect(page.getByTestId("replay-frame")).toContainText("Answered: notepad.exe");
  await expect(page.getByTestId("replay-frame")).toContainText("Expected: C:\\Windows\\System32\\notepad.exe");
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("replay-frame")).toContainText("Answered: calc");
  await page.screenshot({ path: "test-results/training-replay.png", fullPage: true });

  // presenter mode: one step at a time, evidence on click, keyboard
  await page.goto("/training/manage");
  await page
    .getByTestId("scenario-table")
    .locator("tr", { hasText: title })
    .getByRole("link", { name: "Present" })
    .click();
  const presenter = page.getByTestId("presenter");
  await expect(presenter).toContainText("1 /");
  await page.keyboard.press("ArrowRight");
  await expect(presenter).toContainText("Why the rule matched");
  await presenter.getByRole("button", { name: "Reveal evidence" }).click();
  await expect(presenter).toContainText("winlog.event_data.Operation");
});
