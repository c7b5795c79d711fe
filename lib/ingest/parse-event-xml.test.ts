import { describe, expect, it } from "vitest";
import { parseEventXml } from "@/lib/ingest/parse-event-xml";

const wrap = (data: string) =>
  `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="P &amp; Q"/><EventID Qualifiers="16384">7</EventID><Execution ProcessID="4" ThreadID="8"/></System><EventData>${data}</EventData></Event>`;

describe("parseEventXml", () => {
  it("keeps whitespace, decodes entities and character references once, names unnamed Data param1…", () => {
    const ev = parseEventXml(
      wrap(
        '<Data Name="A"> x&#13;&#x0A;y &lt;z&gt; </Data><Data Name="B"/><Data>u1</Data><Data>u2</Data><Data Name="C">&amp;#13; &#60;</Data>',
      ),
    );
    expect(ev.system).toMatchObject({
      providerName: "P & Q",
      eventId: 7,
      eventIdQualifiers: 16384,
      processId: 4,
      threadId: 8,
    });
    expect(ev.eventData).toEqual({ A: " x\r\ny <z> ", B: "", param1: "u1", param2: "u2", C: "&#13; <" });
  });

  it("names the missing or bad System field", () => {
    expect(() => parseEventXml("<Event><System><Channel>Security</Channel></System></Event>")).toThrow(
      "Event.System.EventID is missing",
    );
    expect(() => parseEventXml("<Event><System><EventID>x1</EventID></System></Event>")).toThrow(
      /Event\.System\.EventID is not an integer/,
    );
  });

  it("flattens UserData one level below its root, with xml_name", () => {
    const ev = parseEventXml(
      '<Event><System><EventID>1102</EventID></System><UserData><LogFileCleared xmlns="x"><SubjectUserName>bob</SubjectUserName></LogFileCleared></UserData></Event>',
    );
    expect(ev.userData).toEqual({ xml_name: "LogFileCleared", SubjectUserName: "bob" });
  });
});
