import { notFound } from "next/navigation";
import { Time } from "@/components/ui/time";
import { exceptionStatusLabel } from "@/lib/format/labels";
import { ExceptionForm } from "@/components/exceptions/exception-form";
import { requirePageUser } from "@/lib/auth/session";
import { getException } from "@/lib/data/exceptions";

export const dynamic = "force-dynamic";

export default async function EditExceptionPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser("exceptions:write");
  const { id } = await params;
  const exception = await getException(user, id);
  if (!exception) notFound();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">
        Edit exception: <span className="literal">{exception.name}</span>
      </h1>
      <p className="text-sm text-slate-600">
        {exceptionStatusLabel(exception.status)} · {exception.hits} hits
        {exception.lastHitAt && (
          <>
            , last <Time value={exception.lastHitAt} />
          </>
        )}{" "}
        · created by {exception.author?.name ?? "—"} at <Time value={exception.createdAt} /> · last changed{" "}
        <Time value={exception.updatedAt} />
        {exception.itemId && (
          <>
            {" "}
            · Kibana item_id <span className="literal">{exception.itemId}</span>
          </>
        )}
      </p>
      <ExceptionForm
        key={exception.updatedAt.toISOString()}
        mode="edit"
        id={exception.id}
        updatedAt={exception.updatedAt.toISOString()}
        initial={{
          name: exception.name,
          comment: exception.comment,
          expiresAt: exception.expiresAt?.toISOString() ?? null,
          enabled: exception.enabled,
          conditions: exception.conditions,
        }}
      />
    </div>
  );
}
