/** An event as Elasticsearch stores it: nested ECS objects, dotted keys allowed at any level. */
export type EcsDocument = Record<string, unknown>;
