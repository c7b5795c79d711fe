import { PageSkeleton } from "@/components/cases/route-states";

export default function Loading() {
  return <PageSkeleton label="event retention" />;
}
