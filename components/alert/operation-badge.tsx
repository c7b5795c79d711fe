/** Sysmon's WMI Operation; Deleted and Modified stand out because they change what is on the host. */
export function OperationBadge({ operation }: { operation: string | null | undefined }) {
  if (!operation) return <span className="text-slate-600">—</span>;
  const style =
    operation === "Deleted"
      ? "bg-red-100 text-red-800 font-semibold"
      : operation === "Modified"
        ? "bg-amber-100 text-amber-900 font-semibold"
        : "text-slate-700";
  return (
    <span className={`rounded px-1 ${style}`} data-operation={operation}>
      {operation}
    </span>
  );
}
