import { notFound } from "next/navigation";
import { AlertView } from "@/components/alert/alert-view";
import { AppError } from "@/lib/app-error";
import { requirePageUser } from "@/lib/auth/session";
import { getAlertDetail, parseTimelineWindow } from "@/lib/data/alert-detail";

export const dynamic = "force-dynamic";

export default async function AlertPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser("alerts:read");
  const { id } = await params;
  const { window } = await searchParams;
  const detail = await getAlertDetail(user, id, { windowMinutes: parseTimelineWindow(window) }).catch(
    (error: unknown) => {
      if (error instanceof AppError && error.code === "not_found") notFound();
      throw error;
    },
  );
  return <AlertView detail={detail} currentUserId={user.id} />;
}
