export default function AlertLoading() {
  return (
    <div className="space-y-4" aria-busy="true" aria-label="Loading the alert">
      <div className="h-6 w-64 animate-pulse rounded bg-slate-200" />
      <div className="h-40 animate-pulse rounded-lg bg-slate-100" />
      <div className="h-64 animate-pulse rounded-lg bg-slate-100" />
      <div className="h-64 animate-pulse rounded-lg bg-slate-100" />
    </div>
  );
}
