import { notFound } from "next/navigation";
import { requirePageUser } from "@/lib/auth/session";
import { alertExists } from "@/lib/data/alert-detail";

/**
 * The alert's existence is checked here, above the page's loading boundary, so an unknown id is
 * answered with HTTP 404 before anything streams (a notFound() inside the streamed page would be
 * sent with status 200).
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
