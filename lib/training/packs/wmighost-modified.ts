import type { TrainingPack } from "./types";

export const WMIGHOST_PACK: TrainingPack = {
  packId: "wmighost-activescript-modified",
  title: "WMIGhost: an ActiveScriptEventConsumer the rule does not fire on",
  description:
    "Sysmon logged WMIGhost's ActiveScriptEventConsumer (a JScript backdoor) on PC04 — but as Operation `Modified`. Find out why no alert was raised and what it really is.",
  source: {
    dataset: "evtx-attack-samples",
    file: "evtx-attack-samples/derived-xml/wmighost_sysmon_20_21_1.evtx.xml",
    licence: "GPL-3.0",
    upstream: "sbousseaden/EVTX-ATTACK-SAMPLES @ 4ceed2f4706d, rendered by evtxexport -f xml",
  },
  expectedVerdict: "false_negative",
  questions: [
    {
      id: "why-no-alert",
      stepId: "overview",
      prompt: "Which condition of the rule kept this binding out?",
      choices: ['winlog.event_data.Operation : "Created"', 'event.code == "21"', "the consumer class", "event.dataset"],
      answer: 'winlog.event_data.Operation : "Created"',
      explanation:
        "The binding was logged with Operation `Modified` (the subscription already existed and was rewritten); the rule only looks at `Created`.",
      hints: [{ text: "Look at the predicate marked as not holding in “Why it did not match”.", cost: 3 }],
      points: 10,
    },
    {
      id: "consumer-type",
      stepId: "investigation.sysmon-21-fields",
      prompt: "Which consumer type was used?",
      choices: [
        "CommandLineEventConsumer",
        "ActiveScriptEventConsumer",
        "NTEventLogEventConsumer",
        "LogFileEventConsumer",
      ],
      answer: "ActiveScriptEventConsumer",
      hints: [{ text: "The class name sits before `.Name=` in the Consumer path.", cost: 3 }],
      points: 10,
    },
    {
      id: "consumer-name",
      stepId: "investigation.consumer-command",
      prompt: "What is the consumer's name?",
      answer: "ProbeScriptFint",
      hints: [],
      points: 10,
    },
    {
      id: "script-language",
      stepId: "investigation.consumer-command",
      prompt: "In which language is the consumer's script written?",
      choices: ["JScript", "VBScript", "PowerShell", "batch"],
      answer: "JScript",
      explanation: "`var …; function(){…}` and `ActiveXObject`: JScript run by scrcons.exe.",
      hints: [{ text: "Look at the decoded script: `var`, `function`, `ActiveXObject`.", cost: 4 }],
      points: 10,
    },
  ],
};
