/**
 * WinEvent → the ECS document Elastic stores for it.
 *
 * Two stages, as in Elastic:
 * 1. What the Beat/Agent `winlog` input sends (Winlogbeat "winlog" fields reference,
 *    winlogbeat/sys/winevent + eventlog/eventlogging): `winlog.*`, `event.code`, `event.provider`,
 *    `event.kind`, `log.level`, `message`, `@timestamp` = TimeCreated (libbeat encodes ms precision).
 * 2. For channel Microsoft-Windows-Sysmon/Operational, the Windows integration's
 *    sysmon_operational ingest pipeline (elastic/integrations packages/windows/data_stream/
 *    sysmon_operational/elasticsearch/ingest_pipeline/default.yml), reproduced processor by
 *    processor below — including what it moves out of `winlog.event_data` and what it drops.
 *    Values are not trimmed or unquoted: the pipeline does not touch Operation/Consumer/Filter/Name.
 *
 * Pure: no I/O.
 */
import { splitCommandLine } from "@/lib/ecs/command-line-args";
import { communityId } from "@/lib/ecs/community-id";
import { SYSMON_EVENT_TABLE } from "@/lib/ecs/sysmon-event-table";
import type { EcsDocument } from "@/lib/ecs/document";
import type { WinEvent } from "@/lib/winevent/types";

export interface NormalizeHints {
  /**
   * the account behind Security UserID, when the exporter resolved it (NXLog's
   * AccountName/Domain/AccountType); Winlogbeat resolves it the same way (winlog.user.name/domain/type)
   */
  winlogUser?: { name?: string; domain?: string; type?: string };
}

export const SYSMON_CHANNEL = "Microsoft-Windows-Sysmon/Operational";

/**
 * data_stream.dataset / event.module per channel: the Agent integration that collects it.
 * Sysmon → windows.sysmon_operational; Security → the System integration's system.security;
 * PowerShell → windows.powershell_operational / windows.powershell; anything else → windows.forwarded
 * (the integration's catch-all for events read from ForwardedEvents).
 */
export function chooseDataset(channel: string | undefined): { dataset: string; module: string } {
  switch ((channel ?? "").toLowerCase()) {
    case SYSMON_CHANNEL.toLowerCase():
      return { dataset: "windows.sysmon_operational", module: "sysmon" };
    case "security":
      return { dataset: "system.security", module: "system" };
    case "system":
      return { dataset: "system.system", module: "system" };
    case "application":
      return { dataset: "system.application", module: "system" };
    case "microsoft-windows-powershell/operational":
      return { dataset: "windows.powershell_operational", module: "powershell" };
    case "windows powershell":
      return { dataset: "windows.powershell", module: "powershell" };
    default:
      return { dataset: "windows.forwarded", module: "windows" };
  }
}

export function normalizeWinEvent(ev: WinEvent, hints: NormalizeHints = {}): EcsDocument {
  const s = ev.system;
  const { dataset, module } = chooseDataset(s.channel);
  const eventCode = s.eventId !== undefined ? String(s.eventId) : undefined;

  // --- stage 1: the winlog input ---------------------------------------------------------
  const winlog: Record<string, unknown> = {};
  put(winlog, "channel", s.channel);
  put(winlog, "event_id", eventCode); // keyword: Winlogbeat sends the ID as a string
  put(winlog, "provider_name", s.providerName);
  put(winlog, "provider_guid", s.providerGuid);
  // pipeline: convert winlog.record_id → string
  put(winlog, "record_id", s.eventRecordId !== undefined ? String(s.eventRecordId) : undefined);
  put(winlog, "computer_name", s.computer);
  put(winlog, "version", s.version);
  put(winlog, "opcode", ev.renderingInfo?.opcode ?? (s.opcode !== undefined ? OPCODE_NAMES[s.opcode] : undefined));
  put(winlog, "task", ev.renderingInfo?.task);
  if (ev.renderingInfo?.keywords?.length) winlog.keywords = ev.renderingInfo.keywords;
  put(winlog, "activity_id", s.activityId);
  put(winlog, "related_activity_id", s.relatedActivityId);
  if (s.processId !== undefined || s.threadId !== undefined) {
    const proc: Record<string, unknown> = {};
    put(proc, "pid", s.processId);
    if (s.threadId !== undefined) proc.thread = { id: s.threadId };
    winlog.process = proc;
  }
  if (s.userId !== undefined || hints.winlogUser) {
    const user: Record<string, unknown> = {};
    put(user, "identifier", s.userId);
    put(user, "name", hints.winlogUser?.name);
    put(user, "domain", hints.winlogUser?.domain);
    put(user, "type", hints.winlogUser?.type);
    winlog.user = user;
  }
  const eventData: Record<string, string | string[]> = { ...(ev.eventData ?? {}) };
  if (ev.userData && Object.keys(ev.userData).length) winlog.user_data = { ...ev.userData };

  const event: Record<string, unknown> = { kind: "event" };
  put(event, "code", eventCode);
  put(event, "provider", s.providerName);
  event.module = module;
  event.dataset = dataset;
  const doc: EcsDocument = {};
  const timestamp = toIsoMillis(s.systemTime);
  put(doc, "@timestamp", timestamp);
  doc.event = event;
  doc.winlog = winlog;
  doc.data_stream = { type: "logs", dataset, namespace: "default" };
  // Agent stamps host.name with the collecting machine; for events read where they were logged
  // (and for forwarded ones, which carry no agent host of their own here) that is <Computer>.
  if (s.computer) doc.host = { name: s.computer };
  if (ev.renderingInfo?.message !== undefined) doc.message = ev.renderingInfo.message;
  if (ev.renderingInfo?.level)
    doc.log = { level: ev.renderingInfo.level.toLowerCase() }; // winlog.level is the rendered level, lowercased
  else if (s.level !== undefined && LEVEL_NAMES[s.level]) doc.log = { level: LEVEL_NAMES[s.level] };
  if (module !== "sysmon" && s.userId) doc.user = { id: s.userId };

  if (module === "sysmon") applySysmonPipeline(doc, event, eventData, timestamp);
  if (Object.keys(eventData).length) winlog.event_data = eventData;
  return doc;
}

/** Winlogbeat's fallback when the event has no rendered level (Windows' standard level names). */
const LEVEL_NAMES: Record<number, string> = {
  0: "information",
  1: "critical",
  2: "error",
  3: "warning",
  4: "information",
  5: "verbose",
};

/**
 * Winlogbeat's fallback when the event has no rendered opcode: the standard opcode names of
 * winmeta.xml (win:Info = 0 …), as the pipeline test pairs store them (`<Opcode>0</Opcode>` →
 * winlog.opcode "Info").
 */
const OPCODE_NAMES: Record<number, string> = {
  0: "Info",
  1: "Start",
  2: "Stop",
  3: "DCStart",
  4: "DCStop",
  5: "Extension",
  6: "Reply",
  7: "Resume",
  8: "Suspend",
  9: "Send",
  240: "Receive",
};

// --- stage 2: sysmon_operational ingest pipeline -------------------------------------------------

const ZERO_GUID = "{00000000-0000-0000-0000-000000000000}";

function applySysmonPipeline(
  doc: EcsDocument,
  event: Record<string, unknown>,
  ed: Record<string, string | string[]>,
  timeCreated: string | undefined,
): void {
  const code = event.code as string | undefined;
  // script "Remove all empty values from event_data": null, "", "-", zero GUID
  for (const [k, v] of Object.entries(ed)) if (v === "" || v === "-" || v === ZERO_GUID) delete ed[k];
  // date winlog.time_created → event.created
  if (timeCreated) event.created = timeCreated;
  // date winlog.event_data.UtcTime (yyyy-MM-dd HH:mm:ss.SSS, UTC) → @timestamp
  const utc = sysmonUtcTime(str(ed.UtcTime));
  if (utc) doc["@timestamp"] = utc;
  // "Add ECS categorization fields"
  const cat = code !== undefined ? SYSMON_EVENT_TABLE[code] : undefined;
  if (cat) {
    event.action = Array.isArray(cat.action) ? [...cat.action] : cat.action;
    if (cat.category) event.category = [...cat.category];
    if (cat.type) event.type = [...cat.type];
    if (cat.outcome) event.outcome = [...cat.outcome];
  }
  const take = (key: string): string | undefined => {
    const v = str(ed[key]);
    if (v === undefined || v === "") return undefined;
    delete ed[key];
    return v;
  };
  const peek = (key: string): string | undefined => {
    const v = str(ed[key]);
    return v === undefined || v === "" ? undefined : v;
  };
  if (code === "255") setPath(doc, "error.code", take("ID"));
  setPath(doc, "rule.name", take("RuleName"));
  if (code === "25") setPath(doc, "message", take("Type"));
  if (ed.Hash !== undefined && ed.Hashes === undefined) {
    ed.Hashes = ed.Hash;
    delete ed.Hash;
  }
  const hashes = parseHashes(peek("Hashes"));
  if (hashes && Object.keys(hashes).length) setPath(doc, "related.hash", Object.values(hashes));

  // Process fields
  const process: Record<string, unknown> = {};
  if (hashes && Object.keys(hashes).length && ["1", "23", "24", "25"].includes(code ?? "")) {
    const { imphash, ...rest } = hashes;
    if (Object.keys(rest).length) process.hash = rest;
    if (imphash) setPath(process, "pe.imphash", imphash);
  }
  put(process, "entity_id", take("ProcessGuid"));
  put(process, "pid", toLong(peek("ProcessId")));
  put(process, "executable", take("Image"));
  const sourceGuid = take("SourceProcessGuid") ?? take("SourceProcessGUID");
  if (sourceGuid) process.entity_id = sourceGuid;
  const sourcePid = toLong(peek("SourceProcessId"));
  if (sourcePid !== undefined) process.pid = sourcePid;
  const sourceTid = toLong(peek("SourceThreadId"));
  if (sourceTid !== undefined) process.thread = { id: sourceTid };
  const sourceImage = take("SourceImage");
  if (sourceImage) process.executable = sourceImage;
  // rename winlog.event_data.Destination → process.executable (Sysmon 20's consumer destination lands here too)
  const destination = take("Destination");
  if (destination) process.executable = destination;
  put(process, "command_line", take("CommandLine"));
  put(process, "working_directory", take("CurrentDirectory"));
  const parent: Record<string, unknown> = {};
  put(parent, "entity_id", take("ParentProcessGuid"));
  put(parent, "pid", toLong(peek("ParentProcessId")));
  put(parent, "executable", take("ParentImage"));
  put(parent, "command_line", take("ParentCommandLine"));
  if (code !== "7") {
    setPath(process, "pe.original_file_name", take("OriginalFileName"));
    setPath(process, "pe.company", peek("Company"));
    setPath(process, "pe.description", peek("Description"));
    setPath(process, "pe.file_version", peek("FileVersion"));
    setPath(process, "pe.product", peek("Product"));
  }
  if (typeof process.command_line === "string") {
    process.args = splitCommandLine(process.command_line);
    process.args_count = (process.args as string[]).length;
  }
  if (typeof parent.command_line === "string") {
    parent.args = splitCommandLine(parent.command_line);
    parent.args_count = (parent.args as string[]).length;
  }
  // "Adds process name information": text after the last backslash, if there is one
  if (typeof process.executable === "string" && process.executable.length > 1)
    put(process, "name", baseName(process.executable));
  if (typeof parent.executable === "string" && parent.executable.length > 1)
    put(parent, "name", baseName(parent.executable));
  if (Object.keys(parent).length) process.parent = parent;
  if (Object.keys(process).length) doc.process = process;

  // File fields
  const file: Record<string, unknown> = {};
  if (hashes && Object.keys(hashes).length && ["6", "7", "15", "26", "29"].includes(code ?? "")) {
    const { imphash, ...rest } = hashes;
    if (Object.keys(rest).length) file.hash = rest;
    if (imphash) setPath(file, "pe.imphash", imphash);
  }
  put(file, "path", take("TargetFilename"));
  const device = take("Device");
  if (device) file.path = device;
  put(file, "name", take("PipeName"));
  const imageLoaded = take("ImageLoaded");
  if (imageLoaded) file.path = imageLoaded;
  setPath(file, "code_signature.subject_name", peek("Signature"));
  setPath(file, "code_signature.status", peek("SignatureStatus"));
  if (code === "7") {
    setPath(file, "pe.original_file_name", take("OriginalFileName"));
    setPath(file, "pe.company", peek("Company"));
    setPath(file, "pe.description", peek("Description"));
    setPath(file, "pe.file_version", peek("FileVersion"));
    setPath(file, "pe.product", peek("Product"));
  }
  // `Signed == true` compares a string with a boolean in painless: never true for Winlogbeat's strings
  if (peek("SignatureStatus") === "Valid") setPath(file, "code_signature.valid", true);
  if (typeof file.path === "string" && file.path.length > 1) {
    const idx = file.path.lastIndexOf("\\");
    if (idx > -1) {
      file.name = file.path.slice(idx + 1);
      file.directory = file.path.slice(0, idx);
      const ext = file.path.lastIndexOf(".");
      if (ext > -1) file.extension = file.path.slice(ext + 1);
    }
  }
  if (Object.keys(file).length) doc.file = file;
  if (code === "7") applyDllFields(doc, file, str(ed.Signed));

  // Network, source, destination, DNS
  setPath(doc, "network.transport", take("Protocol"));
  if (code !== "22") {
    setPath(doc, "network.protocol", take("DestinationPortName"));
    const spn = take("SourcePortName");
    if (spn) setPath(doc, "network.protocol", spn);
  }
  if (code === "22") setPath(doc, "network.protocol", "dns");
  setPath(doc, "source.ip", toIp(peek("SourceIp")));
  setPath(doc, "source.domain", take("SourceHostname"));
  setPath(doc, "source.port", toLong(peek("SourcePort")));
  setPath(doc, "destination.ip", toIp(peek("DestinationIp")));
  setPath(doc, "destination.domain", take("DestinationHostname"));
  setPath(doc, "destination.port", toLong(peek("DestinationPort")));
  setPath(doc, "dns.question.name", take("QueryName"));
  const initiated = peek("Initiated");
  if (initiated === "true") setPath(doc, "network.direction", "egress");
  if (initiated === "false") setPath(doc, "network.direction", "ingress");
  const v6 = peek("SourceIsIpv6");
  if (v6 === "false") setPath(doc, "network.type", "ipv4");
  if (v6 === "true") setPath(doc, "network.type", "ipv6");
  // the pipeline's community_id processor (network connections: transport, addresses and ports)
  const flow = ["network.transport", "source.ip", "source.port", "destination.ip", "destination.port"].map((f) =>
    getPath(doc, f),
  );
  if (code === "3" && typeof flow[0] === "string" && typeof flow[1] === "string" && typeof flow[3] === "string") {
    const id = communityId(flow[0], flow[1], Number(flow[2]), flow[3], Number(flow[4]));
    if (id) setPath(doc, "network.community_id", id);
  }
  applyDnsResults(doc, peek("QueryResults"));
  const questionName = getPath(doc, "dns.question.name");
  if (typeof questionName === "string") appendUnique(doc, "related.hosts", questionName);

  // User fields
  const identifier = getPath(doc, "winlog.user.identifier");
  if (typeof identifier === "string" && identifier) setPath(doc, "user.id", identifier);
  const userValue = str(ed.User);
  if (userValue !== undefined) {
    const parts = userValue.split("\\");
    if (parts.length === 2) {
      if (parts[0]) setPath(doc, "user.domain", parts[0]);
      if (parts[1]) setPath(doc, "user.name", parts[1]);
    }
  }

  // Sysmon fields
  const status = take("QueryStatus");
  if (status) setPath(doc, "sysmon.dns.status", DNS_STATUS[status] ?? status);
  const archived = toBool(peek("Archived"));
  if (archived !== undefined) setPath(doc, "sysmon.file.archived", archived);
  const isExe = toBool(peek("IsExecutable"));
  if (isExe !== undefined) setPath(doc, "sysmon.file.is_executable", isExe);

  // Related fields
  const userName = getPath(doc, "user.name");
  if (typeof userName === "string" && userName) appendUnique(doc, "related.user", userName);
  for (const ipField of ["source.ip", "destination.ip"]) {
    const ip = getPath(doc, ipField);
    if (typeof ip === "string" && ip) appendUnique(doc, "related.ip", ip);
  }

  // Registry fields
  const targetObject = peek("TargetObject");
  if (targetObject && ["12", "13", "14"].includes(code ?? ""))
    doc.registry = registryFields(targetObject, peek("Details"));

  // Conformity
  if (ed.TargetProcessGuid !== undefined) {
    ed.TargetProcessGUID = ed.TargetProcessGuid;
    delete ed.TargetProcessGuid;
  }
  // Cleanup
  for (const k of CLEANUP) delete ed[k];
}

/**
 * Sysmon 7 (image loaded) also fills ECS `dll.*` with the loaded library, as the test pair
 * test-image-loaded-failed-signature.json of SYSMON_PIPELINE_COMMIT stores it: path, name,
 * hashes, PE original name and imphash mirror `file.*`; a `Signed` value that is neither "true"
 * nor "false" ("failed: Invalid hash") becomes dll.code_signature.status and marks the file as
 * not trusted.
 */
function applyDllFields(doc: EcsDocument, file: Record<string, unknown>, signed: string | undefined): void {
  const dll: Record<string, unknown> = {};
  put(dll, "path", file.path);
  put(dll, "name", file.name);
  if (file.hash) dll.hash = { ...(file.hash as Record<string, unknown>) };
  const pe = file.pe as Record<string, unknown> | undefined;
  if (pe?.imphash !== undefined) setPath(dll, "pe.imphash", pe.imphash);
  if (pe?.original_file_name !== undefined) setPath(dll, "pe.original_file_name", pe.original_file_name);
  const signature = file.code_signature as Record<string, unknown> | undefined;
  if (signature?.subject_name !== undefined) setPath(dll, "code_signature.subject_name", signature.subject_name);
  if (signature?.status !== undefined) setPath(dll, "code_signature.status", signature.status);
  if (signed !== undefined && signed !== "true" && signed !== "false") {
    if (signature?.status === undefined) setPath(dll, "code_signature.status", signed);
    setPath(file, "code_signature.trusted", false);
    doc.file = file;
  }
  if (Object.keys(dll).length) doc.dll = dll;
}

const CLEANUP = [
  "ProcessId",
  "ParentProcessId",
  "SourceProcessId",
  "SourceThreadId",
  "SourceIp",
  "SourcePort",
  "SourcePortName",
  "DestinationIp",
  "DestinationPort",
  "DestinationPortName",
  "RuleName",
  "User",
  "Initiated",
  "SourceIsIpv6",
  "DestinationIsIpv6",
  "QueryStatus",
  "Archived",
  "IsExecutable",
  "QueryResults",
  "UtcTime",
  "Hash",
  "Hashes",
  "TargetObject",
];

const DNS_STATUS: Record<string, string> = {
  "0": "SUCCESS",
  "5": "ERROR_ACCESS_DENIED",
  "123": "ERROR_INVALID_NAME",
  "1460": "ERROR_TIMEOUT",
  "9002": "DNS_ERROR_RCODE_SERVER_FAILURE",
  "9003": "DNS_ERROR_RCODE_NAME_ERROR",
  "9501": "DNS_INFO_NO_RECORDS",
  "9701": "DNS_ERROR_RECORD_DOES_NOT_EXIST",
};

const DNS_TYPES: Record<string, string> = {
  "1": "A",
  "2": "NS",
  "5": "CNAME",
  "6": "SOA",
  "12": "PTR",
  "15": "MX",
  "16": "TXT",
  "28": "AAAA",
  "33": "SRV",
  "255": "ANY",
};

function applyDnsResults(doc: EcsDocument, results: string | undefined): void {
  if (!results) return;
  const answers: Record<string, string>[] = [];
  const ips: string[] = [];
  const hosts: string[] = [];
  for (const answer of results.split(";")) {
    if (!answer) continue;
    if (answer.startsWith("type:")) {
      const parts = answer.split(/\s+/);
      const type = DNS_TYPES[parts[1]] ?? parts[1];
      if (parts.length === 3) {
        answers.push({ type, data: parts[2] });
        hosts.push(parts[2]);
      } else answers.push({ type });
    } else {
      const ip = answer.replace(/^\[?::ffff:(\d+\.\d+\.\d+\.\d+)(?:\](?::\d+)?)?$/, "$1");
      if (toIp(ip)) ips.push(ip);
    }
  }
  for (const ip of ips) answers.push({ type: ip.includes(":") ? "AAAA" : "A", data: ip });
  if (answers.length) setPath(doc, "dns.answers", answers);
  if (ips.length) setPath(doc, "dns.resolved_ip", ips);
  for (const h of hosts) appendUnique(doc, "related.hosts", h);
  for (const ip of ips) appendUnique(doc, "related.ip", ip);
}

const HIVES: Record<string, string> = {
  HKEY_CLASSES_ROOT: "HKCR",
  HKCR: "HKCR",
  HKEY_CURRENT_CONFIG: "HKCC",
  HKCC: "HKCC",
  HKEY_CURRENT_USER: "HKCU",
  HKCU: "HKCU",
  HKEY_DYN_DATA: "HKDD",
  HKDD: "HKDD",
  HKEY_LOCAL_MACHINE: "HKLM",
  HKLM: "HKLM",
  HKEY_PERFORMANCE_DATA: "HKPD",
  HKPD: "HKPD",
  HKEY_USERS: "HKU",
  HKU: "HKU",
};

function registryFields(path: string, details: string | undefined): Record<string, unknown> {
  const registry: Record<string, unknown> = { path };
  const tokens = path.split("\\");
  const hive = HIVES[tokens[0]];
  if (hive) {
    registry.hive = hive;
    if (tokens.length > 1) registry.key = tokens.slice(1).join("\\");
  }
  registry.value = tokens[tokens.length - 1];
  if (details) {
    const qword = /^QWORD \(((0x[0-9A-F]{8})-(0x[0-9A-F]{8}))\)$/i.exec(details);
    const dword = /^DWORD \((0x[0-9A-F]{8})\)$/i.exec(details);
    if (qword) {
      // the pipeline's own arithmetic ((high << 8) + low), reproduced as is
      const value = (
        BigInt.asIntN(64, BigInt(parseInt(qword[2].slice(2), 16)) << BigInt(8)) +
        BigInt(parseInt(qword[3].slice(2), 16))
      ).toString();
      registry.data = { strings: [value], type: "SZ_QWORD" };
    } else if (dword) registry.data = { strings: [String(parseInt(dword[1].slice(2), 16))], type: "SZ_DWORD" };
    else if (details === "Binary Data") registry.data = { strings: [details], type: "REG_BINARY" };
    else registry.data = { strings: [details], type: "REG_SZ" };
  }
  return registry;
}

/** kv on "," and "=", keys and values lowercased, empty and all-zero hashes dropped. */
function parseHashes(value: string | undefined): Record<string, string> | undefined {
  if (!value) return undefined;
  const out: Record<string, string> = {};
  for (const pair of value.split(",")) {
    const eq = pair.indexOf("=");
    if (eq === -1) continue;
    const key = pair.slice(0, eq).toLowerCase();
    const v = pair.slice(eq + 1).toLowerCase();
    if (/^0*$/.test(v)) continue;
    out[key] = v;
  }
  return out;
}

function baseName(path: string): string | undefined {
  const idx = path.lastIndexOf("\\");
  if (idx === -1) return undefined;
  const name = path.slice(idx + 1);
  return name === "" ? undefined : name;
}

/** Sysmon's UtcTime → ISO-8601 as the date processor writes it (ms precision, Z). */
export function sysmonUtcTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})$/.exec(value);
  if (!m) return undefined; // ignore_failure: a malformed UtcTime leaves @timestamp alone
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** TimeCreated SystemTime (100 ns precision) → ISO-8601 with ms, as libbeat encodes @timestamp. */
export function toIsoMillis(systemTime: string | undefined): string | undefined {
  if (!systemTime) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(systemTime.trim());
  if (!m) return undefined;
  const ms = (m[2] ?? "").padEnd(3, "0").slice(0, 3);
  const t = Date.parse(`${m[1]}.${ms}${m[3] ?? "Z"}`);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

function str(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function toLong(v: string | undefined): number | undefined {
  if (v === undefined || !/^-?\d+$/.test(v.trim())) return undefined;
  return Number(v.trim());
}

function toBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const l = v.toLowerCase();
  return l === "true" ? true : l === "false" ? false : undefined;
}

/** `convert type: ip` accepts IPv4 and IPv6 literals and fails (ignored) on anything else. */
function toIp(v: string | undefined): string | undefined {
  if (!v) return undefined;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(v)) return v;
  if (/^[0-9a-f:.]+$/i.test(v) && v.includes(":")) return v;
  return undefined;
}

function put(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  if (value === undefined) return;
  const keys = path.split(".");
  let node = target;
  for (const k of keys.slice(0, -1)) {
    if (typeof node[k] !== "object" || node[k] === null) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

function getPath(target: Record<string, unknown>, path: string): unknown {
  let node: unknown = target;
  for (const k of path.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[k];
  }
  return node;
}

function appendUnique(target: Record<string, unknown>, path: string, value: string): void {
  const current = getPath(target, path);
  if (Array.isArray(current)) {
    if (!current.includes(value)) current.push(value);
  } else setPath(target, path, [value]);
}
