"use client";

import { TrainingError } from "@/components/training/route-states";

export default function RouteError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <TrainingError error={error} reset={reset} what="training" />;
}
