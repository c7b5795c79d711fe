/* eslint-disable @typescript-eslint/no-explicit-any -- assertions walk nested ECS documents */
import { describe, expect, it } from "vitest";
import { normalizeWinEvent } from "@/lib/ecs/normalize-winevent";
import { SYSMON_EVENT_TABLE, SYSMON_PIPELINE_COMMIT } from "@/lib/ecs/sysmon-event-table";
import { parseEventXml } from "@/lib/ingest/parse-event-xml";

// Elastic's published pipeline test pair at SYSMON_PIPELINE_COMMIT: packages/windows/data_stream/
// sysmon_operational/_dev/test/pipeline/test-image-loaded-failed-signature.json(-expected.json).
// The raw event is the pair's event.original; the expectations are its expected document.
const IMAGE_LOADED_XML = `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/><EventID>7</EventID><Version>3</Version><Level>4</Level><Task>7</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime='2020-10-28T02:39:26.388325200Z'/><EventRecordID>10685</EventRecordID><Correlation/><Execution ProcessID='1676' ThreadID='4796'/><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>vagrant</Computer><Security UserID='S-1-5-18'/></System><EventData><Data Name='RuleName'>-</Data><Data Name='UtcTime'>2020-10-28 02:39:26.374</Data><Data Name='ProcessGuid'>{9f32b55f-d9de-5f98-f006-000000000600}</Data><Data Name='ProcessId'>5184</Data><Data Name='Image'>C:\\Windows\\System32\\dllhost.exe</Data><Data Name='ImageLoaded'>C:\\Windows\\System32\\IDStore.dll</Data><Data Name='FileVersion'>10.0.17763.1 (WinBuild.160101.0800)</Data><Data Name='Description'>Identity Store</Data><Data Name='Product'>Microsoft« Windows« Operating System</Data><Data Name='Company'>Microsoft Corporation</Data><Data Name='OriginalFileName'>IdStore.dll</Data><Data Name='Hashes'>SHA1=9955A1C071C44A7CEECC0D928A9CFB7F64CC3F93,MD5=C7C45610F644906E6F7D664EF2E45B08,SHA256=4808F1101F4E42387D8DDB7A355668BAE3BF6F781C42D3BCD82E23446B1DEB3E,IMPHASH=194F3797B52231028C718B6D776C6853</Data><Data Name='Signed'>failed: Invalid hash</Data><Data Name='Signature'>-</Data><Data Name='SignatureStatus'>-</Data><Data Name='User'>DOMAIN\\username</Data></EventData></Event>`;

const HASH = {
  md5: "c7c45610f644906e6f7d664ef2e45b08",
  sha1: "9955a1c071c44a7ceecc0d928a9cfb7f64cc3f93",
  sha256: "4808f1101f4e42387d8ddb7a355668bae3bf6f781c42d3bcd82e23446b1deb3e",
};

describe(`Sysmon normalisation against Elastic's test pairs (elastic/integrations ${SYSMON_PIPELINE_COMMIT.slice(0, 8)})`, () => {
  it("Sysmon 7 (image loaded): library category, two-value action, dll.*", () => {
    const doc = normalizeWinEvent(parseEventXml(IMAGE_LOADED_XML)) as any;
    expect(doc["@timestamp"]).toBe("2020-10-28T02:39:26.374Z");
    expect(doc.event.action).toEqual(["Image loaded", "load"]);
    expect(doc.event.category).toEqual(["process", "library"]);
    expect(doc.event.type).toEqual(["change", "start"]);
    expect(doc.event.code).toBe("7");
    expect(doc.event.created).toBe("2020-10-28T02:39:26.388Z");
    expect(doc.dll).toEqual({
      code_signature: { status: "failed: Invalid hash" },
      hash: HASH,
      name: "IDStore.dll",
      path: "C:\\Windows\\System32\\IDStore.dll",
      pe: { imphash: "194f3797b52231028c718b6d776c6853", original_file_name: "IdStore.dll" },
    });
    expect(doc.file).toEqual({
      code_signature: { trusted: false },
      directory: "C:\\Windows\\System32",
      extension: "dll",
      hash: HASH,
      name: "IDStore.dll",
      path: "C:\\Windows\\System32\\IDStore.dll",
      pe: {
        company: "Microsoft Corporation",
        description: "Identity Store",
        file_version: "10.0.17763.1 (WinBuild.160101.0800)",
        imphash: "194f3797b52231028c718b6d776c6853",
        original_file_name: "IdStore.dll",
        product: "Microsoft« Windows« Operating System",
      },
    });
    expect(doc.process).toEqual({
      entity_id: "{9f32b55f-d9de-5f98-f006-000000000600}",
      executable: "C:\\Windows\\System32\\dllhost.exe",
      name: "dllhost.exe",
      pid: 5184,
    });
    expect(doc.user).toEqual({ domain: "DOMAIN", id: "S-1-5-18", name: "username" });
    expect(doc.related.user).toEqual(["username"]);
    expect([...doc.related.hash].sort()).toEqual(
      [HASH.sha256, HASH.sha1, HASH.md5, "194f3797b52231028c718b6d776c6853"].sort(),
    );
    expect(doc.winlog.event_data).toEqual({
      Company: "Microsoft Corporation",
      Description: "Identity Store",
      FileVersion: "10.0.17763.1 (WinBuild.160101.0800)",
      Product: "Microsoft« Windows« Operating System",
      Signed: "failed: Invalid hash",
    });
  });

  it("Sysmon 19 and 20 (WMI filter and consumer) are creations; 21 (binding) stays access", () => {
    expect(SYSMON_EVENT_TABLE["19"]).toMatchObject({ category: ["process"], type: ["creation"] });
    expect(SYSMON_EVENT_TABLE["20"]).toMatchObject({ category: ["process"], type: ["creation"] });
    expect(SYSMON_EVENT_TABLE["21"]).toMatchObject({ category: ["process"], type: ["access"] });
    expect(SYSMON_EVENT_TABLE["27"]).toMatchObject({ type: ["creation", "denied"] });
    expect(SYSMON_EVENT_TABLE["255"]).toMatchObject({ type: ["error"] });
  });
});
