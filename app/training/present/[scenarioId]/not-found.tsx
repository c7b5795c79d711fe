import { TrainingNotFound } from "@/components/training/route-states";

export default function NotFound() {
  return <TrainingNotFound what="Scenario" back="/training/manage" />;
}
