/**
 * Test support: Sysmon 20 and 21 documents as Elastic's Windows integration stores them, with
 * event_data quoted and escaped the way Sysmon logs them (leading space, quotes, doubled
 * backslashes). Shared by integration and e2e tests that need alerts with chosen names.
 */

/** A Sysmon 21 binding of CommandLineEventConsumer `consumer` to filter `filter` (default `F-<consumer>`). */
export function sysmon21Doc(opts: {
  host: string;
  consumer: string;
  at: string;
  user?: Record<string, string>;
  filter?: string;
}): Record<string, unknown> {
  return {
    "@timestamp": opts.at,
    event: { code: "21", dataset: "windows.sysmon_operational", kind: "event" },
    host: { name: opts.host },
    ...(opts.user ? { user: opts.user } : {}),
    winlog: {
      computer_name: opts.host,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"${opts.consumer}\\""`,
        Filter: ` "\\\\\\\\.\\\\ROOT\\\\subscription:__EventFilter.Name=\\"${opts.filter ?? `F-${opts.consumer}`}\\""`,
      },
    },
  };
}

/** A Sysmon 20 creating CommandLineEventConsumer `consumer` that runs `destination`. */
export function sysmon20Doc(opts: { host: string; consumer: string; at: string; destination: string }) {
  return {
    "@timestamp": opts.at,
    event: { code: "20", dataset: "windows.sysmon_operational", kind: "event" },
    host: { name: opts.host },
    winlog: {
      computer_name: opts.host,
      event_data: {
        Operation: "Created",
        Name: ` "${opts.consumer}"`,
        Type: "Command Line",
        Destination: ` "${opts.destination}"`,
      },
    },
  };
}
