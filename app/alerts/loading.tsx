import { AlertsSkeleton } from "@/components/alerts-table/alerts-page-view";

export default function Loading() {
  return (
    <div className="space-y-3">
      <h1 className="text-2xl font-semibold">Alerts</h1>
      <AlertsSkeleton />
    </div>
  );
}
