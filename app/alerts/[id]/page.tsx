import { notFound } from "next/navigation";
import { AlertView } from "@/components/alert/alert-view";
import { HuntEvidence } from "@/components/hunt/hunt-evidence";
import { AppError } from "@/lib/app-error";
import { requirePageUser } from "@/lib/auth/session";
import { getAlertDetail } from "@/lib/data/alert-detail";
import { parseTimelineWindow } from "@/lib/data/alert-timeline";
import { listHuntPins } from "@/lib/data/hunts";

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
  const { window, list } = await searchParams;
  const [detail, pins] = await Promise.all([
    getAlertDetail(user, id, {
      windowMinutes: parseTimelineWindow(window),
      list: typeof list === "string" ? list : undefined,
    }).catch((error: unknown) => {
      if (error instanceof AppError && error.code === "not_found") notFound();
      throw error;
    }),
    listHuntPins(user, { alertId: id }),
  ]);
  return (
    <>
      <AlertView detail={detail} currentUserId={user.id} />
      <HuntEvidence pins={pins} />
    </>
  );
}
