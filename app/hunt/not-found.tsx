import Link from "next/link";

export default function HuntNotFound() {
  return (
    <div className="space-y-2">
      <h1 className="text-lg font-semibold">No such hunt</h1>
      <Link href="/hunt" className="text-blue-700 hover:underline">
        Start a new hunt
      </Link>
    </div>
  );
}
