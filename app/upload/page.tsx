import { UploadPanel } from "@/components/upload/upload-panel";
import { requirePageUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function UploadPage() {
  await requirePageUser("events:ingest");
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Upload events</h1>
      <UploadPanel />
    </div>
  );
}
