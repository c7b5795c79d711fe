import { notFound } from "next/navigation";
import { requirePageUser } from "@/lib/auth/session";
import { alertExists } from "@/lib/data/alert-detail";

/**
 * An unknown id is answered with HTTP 404 and the "No such alert" page: the check runs here,
 * outside every loading boundary (app/alerts has no loading.tsx; the alert's own loading.tsx sits
 * below this layout), so it finishes before anything streams — a notFound() inside a streamed
 * page is sent with status 200.
 */
export default async function AlertLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ id: string }>;
}) {
  const user = await requirePageUser("alerts:read");
  const { id } = await params;
  if (!(await alertExists(user, id))) notFound();
  return children;
}
