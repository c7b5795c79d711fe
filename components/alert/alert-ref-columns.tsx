import Link from "next/link";
import type { DataColumn } from "@/components/ui/data-table";
import { Time } from "@/components/ui/time";
import { TruncatedText } from "@/components/ui/truncated-text";

type AlertRef = { id: string; eventTimestamp: Date; hostName: string | null };

/** The first two columns of a list of alerts (a case's, the QA sample): the alert's time as its link, its host. */
export function alertRefColumns<Row extends AlertRef>(): DataColumn<Row>[] {
  return [
    {
      header: "Alert",
      className: "whitespace-nowrap",
      cell: (a) => (
        <Link href={`/alerts/${a.id}`} className="text-blue-700 hover:underline">
          <Time value={a.eventTimestamp} />
        </Link>
      ),
    },
    { header: "Host", cell: (a) => <TruncatedText value={a.hostName} max={40} label="host name" /> },
  ];
}
