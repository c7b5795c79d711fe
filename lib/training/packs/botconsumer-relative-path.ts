import type { TrainingPack } from "./types";

export const BOTCONSUMER_PACK: TrainingPack = {
  packId: "botconsumer23-relative-path",
  title: "BotConsumer23: a consumer path without the subscription namespace",
  description:
    "A CommandLineEventConsumer bound on IEWIN7 — yet the rule stays silent. Find the gap between what Sysmon logged and what the rule's wildcard expects.",
  source: {
    dataset: "evtx-attack-samples",
    file: "evtx-attack-samples/derived-xml/sysmon_20_21_1_CommandLineEventConsumer.evtx.xml",
    licence: "GPL-3.0",
    upstream: "sbousseaden/EVTX-ATTACK-SAMPLES @ 4ceed2f4706d, rendered by evtxexport -f xml",
  },
  expectedVerdict: "false_negative",
  questions: [
    {
      id: "why-no-alert",
      stepId: "overview",
      prompt: "Why did the rule not match the binding?",
      choices: [
        "the Consumer path has no `subscription:` namespace prefix",
        "the Operation is not Created",
        "it is not a Sysmon 21 event",
        "CommandLineEventConsumer is not in the rule",
      ],
      answer: "the Consumer path has no `subscription:` namespace prefix",
      explanation:
        'Sysmon logged a relative path `CommandLineEventConsumer.Name="BotConsumer23"`; the rule\'s wildcard needs `*subscription:CommandLineEventConsumer*`.',
      hints: [{ text: "Compare winlog.event_data.Consumer with the rule's wildcard character by character.", cost: 3 }],
      points: 10,
    },
    {
      id: "consumer-name",
      stepId: "investigation.sysmon-21-fields",
      prompt: "What is the consumer's name?",
      answer: "BotConsumer23",
      hints: [],
      points: 10,
    },
    {
      id: "filter-name",
      stepId: "investigation.sysmon-21-fields",
      prompt: "What is the event filter's name?",
      answer: "BotFilter82",
      hints: [{ text: "winlog.event_data.Filter, after `Name=`.", cost: 2 }],
      points: 10,
    },
    {
      id: "command",
      stepId: "investigation.consumer-command",
      prompt: "Which program does the consumer start?",
      answer: "cmd.exe",
      accept: ["c:\\Windows\\System32\\cmd.exe", "cmd"],
      hints: [{ text: "The Sysmon 20 event's Destination (process.executable).", cost: 3 }],
      points: 10,
    },
  ],
};
