import { UploadPanel } from "@/components/upload/upload-panel";

export default function UploadPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Upload events</h1>
      <UploadPanel />
    </div>
  );
}
