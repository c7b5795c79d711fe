/**
 * event.action / event.category / event.type / event.outcome per Sysmon event ID, as set by the
 * "Add ECS categorization fields" script processor of Elastic's Windows integration, followed at
 * elastic/integrations commit 621d6c0ddee2c71bc77a1e09ff44834d70c2be45 (SYSMON_PIPELINE_COMMIT):
 * the table of packages/windows/data_stream/sysmon_operational/elasticsearch/ingest_pipeline/
 * default.yml as of bf3be6b2 (19/20 `creation`, 27/28 `denied`, 255 `error`), and Sysmon 7 as the
 * published test pair test-image-loaded-failed-signature.json-expected.json of 621d6c0d stores it
 * (category process+library, type change+start, action "Image loaded"+"load").
 * lib/ecs/sysmon-pipeline-pairs.test.ts runs the published pairs' raw XML through the normaliser:
 * that pair, Sysmon 1, 3 and 7 of test-events.json (057f555b) against -expected.json (a06177fe), and
 * Sysmon 19, 20 and 255 of -expected.json a06177fe (raw XML from its event.original). No published pair
 * holds a Sysmon 21 (the pairs test lists the EventIDs each file holds).
 */
export const SYSMON_PIPELINE_COMMIT = "621d6c0ddee2c71bc77a1e09ff44834d70c2be45";

export interface SysmonCategorization {
  action: string | string[];
  category?: string[];
  type?: string[];
  outcome?: string[];
}

export const SYSMON_EVENT_TABLE: Readonly<Record<string, SysmonCategorization>> = {
  "1": { category: ["process"], type: ["start"], action: "Process creation" },
  "2": { category: ["file"], type: ["change"], action: "A process changed a file creation time" },
  "3": { category: ["network"], type: ["start", "connection", "protocol"], action: "Network connection" },
  "4": { category: ["process"], type: ["change"], action: "Sysmon service state changed" },
  "5": { category: ["process"], type: ["end"], action: "Process terminated" },
  "6": { category: ["driver"], type: ["start"], action: "Driver loaded" },
  "7": { category: ["process", "library"], type: ["change", "start"], action: ["Image loaded", "load"] },
  "8": { category: ["process"], type: ["change"], action: "CreateRemoteThread" },
  "9": { category: ["process"], type: ["access"], action: "RawAccessRead" },
  "10": { category: ["process"], type: ["access"], action: "ProcessAccess" },
  "11": { category: ["file"], type: ["creation"], action: "FileCreate" },
  "12": {
    category: ["configuration", "registry"],
    type: ["change"],
    action: "RegistryEvent (Object create and delete)",
  },
  "13": { category: ["configuration", "registry"], type: ["change"], action: "RegistryEvent (Value Set)" },
  "14": { category: ["configuration", "registry"], type: ["change"], action: "RegistryEvent (Key and Value Rename)" },
  "15": { category: ["file"], type: ["access"], action: "FileCreateStreamHash" },
  "16": { category: ["configuration"], type: ["change"], action: "ServiceConfigurationChange" },
  "17": { category: ["file"], type: ["creation"], action: "PipeEvent (Pipe Created)" },
  "18": { category: ["file"], type: ["access"], action: "PipeEvent (Pipe Connected)" },
  "19": { category: ["process"], type: ["creation"], action: "WmiEvent (WmiEventFilter activity detected)" },
  "20": { category: ["process"], type: ["creation"], action: "WmiEvent (WmiEventConsumer activity detected)" },
  "21": { category: ["process"], type: ["access"], action: "WmiEvent (WmiEventConsumerToFilter activity detected)" },
  "22": { category: ["network"], type: ["connection", "protocol", "info"], action: "DNSEvent (DNS query)" },
  "23": { category: ["file"], type: ["deletion"], action: "FileDelete (File Delete archived)" },
  "24": { type: ["change"], action: "ClipboardChange (New content in the clipboard)" },
  "25": { category: ["process"], type: ["change"], action: "ProcessTampering (Process image change)" },
  "26": { category: ["file"], type: ["deletion"], action: "FileDeleteDetected (File Delete logged)" },
  "27": { category: ["file"], type: ["creation", "denied"], action: "FileBlockExecutable" },
  "28": { category: ["file"], type: ["deletion", "denied"], action: "FileBlockShredding" },
  "29": { category: ["file"], type: ["creation"], action: "FileExecutableDetected" },
  "255": { category: ["process"], type: ["error"], action: "Error" },
};
