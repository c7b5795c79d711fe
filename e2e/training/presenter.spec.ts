import { expect, test } from "@playwright/test";
import { createAtomicScenario } from "../helpers/training";

test("a trainer presents a scenario: answers and evidence stay hidden until each is revealed, apart", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const title = `Presented ${Date.now().toString(36)}`;
  const prompt = `Who made this subscription? ${title}`;

  await createAtomicScenario(page, title);

  const before = await page.locator('[data-testid^="question-form-"]').count();
  await page.getByRole("button", { name: "Add a question" }).click();
  const form = page.getByTestId(`question-form-${before + 1}`);
  await form.getByLabel("Guide step").selectOption({ label: "Administrative scripts or tools" });
  await form.getByLabel("Question", { exact: true }).fill(prompt);
  await form.getByLabel("Choices (one per line)").fill("An administrator's script\nAtomic Red Team test");
  await form.getByLabel("Correct answer").selectOption({ label: "Atomic Red Team test" });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("Saved.");

  await page.getByRole("link", { name: "Present" }).click();
  const presenter = page.getByTestId("presenter");
  await expect(presenter.getByRole("heading", { level: 1 })).toHaveText(title);
  // step through to the checklist item the question is on
  const heading = presenter.getByRole("heading", { level: 1 });
  for (let i = 0; i < 40 && (await heading.textContent()) !== "Administrative scripts or tools"; i++)
    await presenter.getByRole("button", { name: "Next →" }).click();
  await expect(heading).toHaveText("Administrative scripts or tools");

  const question = presenter.getByTestId("presenter-question").filter({ hasText: prompt });
  await expect(question).toContainText("An administrator's script · Atomic Red Team test");
  await expect(question.getByTestId("presenter-answer")).toHaveCount(0);
  await expect(presenter.getByTestId("presenter-evidence")).toHaveCount(0);

  // answers first: the evidence stays hidden
  await presenter.getByRole("button", { name: "Reveal answers" }).click();
  await expect(question.getByTestId("presenter-answer")).toHaveText("Atomic Red Team test");
  await expect(presenter.getByRole("button", { name: "Reveal answers" })).toHaveCount(0);
  await expect(presenter.getByTestId("presenter-evidence")).toHaveCount(0);
  await expect(presenter.getByRole("button", { name: "Reveal evidence" })).toBeVisible();

  // then the evidence
  await presenter.getByRole("button", { name: "Reveal evidence" }).click();
  await expect(presenter.getByTestId("presenter-evidence")).toBeVisible();
  await expect(presenter.getByRole("button", { name: "Reveal evidence" })).toHaveCount(0);

  // another slide starts hidden again; back here, the keyboard reveals evidence alone, then answers
  await presenter.getByRole("button", { name: "Next →" }).click();
  await expect(heading).not.toHaveText("Administrative scripts or tools");
  await presenter.getByRole("button", { name: "← Previous" }).click();
  await expect(heading).toHaveText("Administrative scripts or tools");
  await expect(question.getByTestId("presenter-answer")).toHaveCount(0);
  await expect(presenter.getByTestId("presenter-evidence")).toHaveCount(0);
  // the keys are the presenter's, not a focused button's
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press("Space");
  await expect(presenter.getByTestId("presenter-evidence")).toBeVisible();
  await expect(question.getByTestId("presenter-answer")).toHaveCount(0);
  await page.keyboard.press("a");
  await expect(question.getByTestId("presenter-answer")).toHaveText("Atomic Red Team test");
});
