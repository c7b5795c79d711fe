/**
 * The shape every raw Windows event reader produces (EVTX reader, Windows XML parser,
 * evtx→JSON converter output) before normalisation to ECS. It mirrors Windows' own XML
 * rendering of an event (`<Event><System>…</System><EventData>…</EventData></Event>`):
 * values are the strings Windows shows, untrimmed and unquoted.
 */
export interface WinEventSystem {
  /** `<Provider Name="…" Guid="{…}" EventSourceName="…"/>` */
  providerName?: string;
  providerGuid?: string;
  eventSourceName?: string;
  /** `<EventID Qualifiers="…">21</EventID>` as a number */
  eventId?: number;
  eventIdQualifiers?: number;
  version?: number;
  level?: number;
  task?: number;
  opcode?: number;
  /** e.g. "0x8000000000000000" */
  keywords?: string;
  /** `<TimeCreated SystemTime="2019-03-17T19:15:11.5419180Z"/>` exactly as rendered */
  systemTime?: string;
  eventRecordId?: number;
  activityId?: string;
  relatedActivityId?: string;
  processId?: number;
  threadId?: number;
  channel?: string;
  computer?: string;
  /** `<Security UserID="S-1-5-18"/>` */
  userId?: string;
}

export interface WinEvent {
  system: WinEventSystem;
  /**
   * `<EventData><Data Name="X">v</Data>…</EventData>` as name → value.
   * Unnamed `<Data>` elements get the keys `param1`, `param2`, … (as Winlogbeat does).
   * An element that is empty or absent-valued is "" (Windows renders `<Data Name="X"></Data>` or `<Data Name="X"/>`).
   * A name that occurs more than once keeps every value, as an array.
   */
  eventData?: Record<string, string | string[]>;
  /**
   * `<UserData><Root><Child>v</Child>…</Root></UserData>` flattened one level below the
   * root element as name → value (Winlogbeat's `winlog.user_data`), plus `xml_name` = root element name.
   */
  userData?: Record<string, string | string[]>;
  /** `<RenderingInfo>` when the exporter included it (Get-WinEvent/wevtutil /e:… with rendering) */
  renderingInfo?: {
    message?: string;
    level?: string;
    task?: string;
    opcode?: string;
    channel?: string;
    provider?: string;
    keywords?: string[];
  };
}
