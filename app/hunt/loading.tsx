export default function Loading() {
  return (
    <div className="space-y-3">
      <h1 className="text-2xl font-semibold">Hunt</h1>
      <div className="h-40 animate-pulse rounded-lg bg-slate-100" />
    </div>
  );
}
