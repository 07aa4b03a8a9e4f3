/** docs/openapi.json and packages/client/src/schema.gen.ts, as absolute paths. */
export const DOCUMENT: string;
export const CLIENT_TYPES: string;
/** What docs/openapi.json holds for this document. */
export function renderDocument(document: unknown): Promise<string>;
/** What packages/client/src/schema.gen.ts holds for this document. */
export function renderClientTypes(document: unknown): Promise<string>;
/** The OpenAPI document of a server built in-process. */
export function buildDocument(): Promise<unknown>;
