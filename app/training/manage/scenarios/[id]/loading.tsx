import { TrainingSkeleton } from "@/components/training/route-states";

export default function Loading() {
  return <TrainingSkeleton label="the scenario" />;
}
