import { expect, test } from "@playwright/test";
import { assignToAnalystAndOpen, createAtomicScenario } from "../helpers/training";

test("a trainer writes a question with the form (step by its checklist wording, choices in words) and a junior answers it", async ({
  page,
  browser,
}) => {
  // two users' journeys on a shared 2-core machine: the trainer's half alone took most of a minute
  test.setTimeout(150_000);
  const title = `Form drill ${Date.now().toString(36)}`;
  const prompt = `Which tool created this subscription? ${title}`;

  await createAtomicScenario(page, title);

  // the key is a form: no JSON, steps named as the checklist names them
  await expect(page.getByTestId("question-form-1")).toBeVisible();
  await expect(page.getByLabel("Questions JSON")).toHaveCount(0);
  const before = await page.locator('[data-testid^="question-form-"]').count();
  await page.getByRole("button", { name: "Add a question" }).click();
  const form = page.getByTestId(`question-form-${before + 1}`);
  const step = form.getByLabel("Guide step");
  await expect(step.locator("option", { hasText: "Administrative scripts or tools" })).toHaveCount(1);
  await expect(step.locator("option", { hasText: "fp.admin-tools" })).toHaveCount(0);
  await step.selectOption({ label: "Administrative scripts or tools" });
  await form.getByLabel("Question", { exact: true }).fill(prompt);
  await form
    .getByLabel("Choices (one per line)")
    .fill("An administrator's inventory script\nAtomic Red Team test\nAntivirus update");
  await form.getByLabel("Correct answer").selectOption({ label: "Atomic Red Team test" });
  await form.getByLabel("Hint", { exact: true }).fill("Look at the consumer's name");
  await form.getByLabel("Hint cost (points)").fill("4");
  await form.getByLabel("Points", { exact: true }).fill("12");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("Saved.");
  await page.reload();
  await expect(page.getByTestId(`question-form-${before + 1}`).getByLabel("Question", { exact: true })).toHaveValue(
    prompt,
  );

  await page.goto("/training/manage");
  // the junior sees the question on the checklist step, in words, and answers it
  const { junior, context: juniorContext } = await assignToAnalystAndOpen(page, browser, title);
  const fpStep = junior.getByTestId("step-fp.admin-tools");
  await fpStep.locator("summary").click();
  const question = fpStep.locator('[data-testid^="question-"]', { hasText: prompt });
  await expect(question).toContainText("Antivirus update");
  await question.getByRole("button", { name: /Take hint 1 \(−4 points\)/ }).click();
  await expect(question).toContainText("Look at the consumer's name");
  await question.getByLabel("Atomic Red Team test").check();
  await question.getByRole("button", { name: "Submit answer" }).click();
  await expect(question.getByRole("status")).toContainText("Correct (+8)");
  await juniorContext.close();
});
