/**
 * For ingest tests: a Sysmon 21 (WmiEventConsumerToFilter, Created) the rule matches, on `host`,
 * with record id `i` and its own consumer `c-<i>` and filter `f-<i>`, as a shipper sends it.
 */
export function sysmonBinding(host: string, i: number, timestamp: string) {
  return {
    "@timestamp": timestamp,
    event: { code: "21", dataset: "windows.sysmon_operational", kind: "event" },
    host: { name: host },
    winlog: {
      computer_name: host,
      channel: "Microsoft-Windows-Sysmon/Operational",
      record_id: String(i),
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"c-${i}\\""`,
        Filter: ` "\\\\\\\\.\\\\ROOT\\\\subscription:__EventFilter.Name=\\"f-${i}\\""`,
      },
    },
  };
}
