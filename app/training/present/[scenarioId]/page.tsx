import { notFound } from "next/navigation";
import { Presenter } from "@/components/training/presenter";
import { requirePageUser } from "@/lib/auth/session";
import { getPresenterScenario } from "@/lib/data/training-scenarios";
import { isNotFound } from "@/lib/training/not-found";

export const dynamic = "force-dynamic";

export default async function PresentPage({ params }: { params: Promise<{ scenarioId: string }> }) {
  const { scenarioId } = await params;
  const user = await requirePageUser("training:manage");
  const scenario = await getPresenterScenario(user, scenarioId).catch((error: unknown) => {
    if (isNotFound(error)) notFound();
    throw error;
  });
  return (
    <Presenter
      title={scenario.title}
      expectedVerdict={scenario.expectedVerdict}
      walkthrough={scenario.walkthrough}
      questions={scenario.questions}
      tips={scenario.tips}
    />
  );
}
