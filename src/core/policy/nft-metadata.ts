// Token and collection metadata in Crossmint's shapes, checked before anything is stored or sent
// to a chain. Pure: no I/O.
//
// Token metadata is free-form JSON beyond the fields checked here (OpenSea's `external_url`,
// `background_color`... are kept as given); what is returned is a JSON copy of the input, so
// `undefined` members vanish exactly as they would in storage.
import { ON_CHAIN_LIMITS } from "./on-chain-limits.js";

export interface NftAttribute {
  trait_type: string;
  value: string | number;
  display_type?: string;
  [extra: string]: unknown;
}

export interface NftMetadata {
  name: string;
  image?: string;
  description?: string;
  animation_url?: string;
  attributes?: NftAttribute[];
  [extra: string]: unknown;
}

// A type alias, not an interface, so that it is assignable to `Record<string, unknown>`.
export type CollectionMetadata = {
  name: string;
  symbol: string;
  description?: string;
  imageUrl?: string;
};

export type Checked<T> = { ok: true; metadata: T } | { ok: false; message: string };

export const MAX_NAME_LENGTH = ON_CHAIN_LIMITS.collectionName.max;
export const MAX_DESCRIPTION_LENGTH = 2000;
export const MAX_ATTRIBUTES = 100;
export const MAX_TRAIT_TYPE_LENGTH = 200;
export const MAX_ATTRIBUTE_VALUE_LENGTH = 2000;
export const MAX_METADATA_BYTES = 64 * 1024;
export const MAX_SYMBOL_LENGTH = ON_CHAIN_LIMITS.collectionSymbol.max;
const DERIVED_SYMBOL_LENGTH = 5;
/** When a name has no ASCII letter or digit to build a symbol from. */
export const FALLBACK_SYMBOL = "NFT";

const URL_PROTOCOLS = new Set(["http:", "https:", "ipfs:"]);
const CONTROL = /\p{Cc}/u;

class Invalid extends Error {}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Length in characters (code points), not UTF-16 units. */
const charLength = (text: string) => [...text].length;

/** A JSON copy of `input` no larger than the limit. */
function jsonCopy(input: unknown, field: string): Record<string, unknown> {
  if (input === undefined || input === null) throw new Invalid(`${field} is required`);
  if (!isPlainObject(input)) throw new Invalid(`${field} must be a JSON object`);
  let json: string;
  try {
    json = JSON.stringify(input);
  } catch {
    throw new Invalid(`${field} must be plain JSON`);
  }
  const bytes = Buffer.byteLength(json, "utf8");
  if (bytes > MAX_METADATA_BYTES) {
    throw new Invalid(`${field} is ${bytes} bytes as JSON; at most ${MAX_METADATA_BYTES} allowed`);
  }
  return JSON.parse(json) as Record<string, unknown>;
}

function requiredText(value: unknown, field: string, max: number): string {
  if (value === undefined) throw new Invalid(`${field} is required`);
  if (typeof value !== "string") throw new Invalid(`${field} must be a string`);
  if (value.trim().length === 0) throw new Invalid(`${field} must not be empty`);
  if (charLength(value) > max) throw new Invalid(`${field} must be at most ${max} characters`);
  return value;
}

function optionalText(value: unknown, field: string, max: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new Invalid(`${field} must be a string`);
  if (charLength(value) > max) throw new Invalid(`${field} must be at most ${max} characters`);
  return value;
}

/** An absolute http(s) URL or an `ipfs://` URI. */
function optionalUrl(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new Invalid(`${field} must be a URL string`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Invalid(`${field} must be an http(s):// URL or an ipfs:// URI`);
  }
  if (!URL_PROTOCOLS.has(url.protocol) || /\s/.test(value)) {
    throw new Invalid(`${field} must be an http(s):// URL or an ipfs:// URI`);
  }
  if (url.protocol === "ipfs:" ? value.length <= "ipfs://".length : url.hostname === "") {
    throw new Invalid(`${field} must be an http(s):// URL or an ipfs:// URI`);
  }
  return value;
}

function checkAttribute(value: unknown, field: string): void {
  if (!isPlainObject(value)) throw new Invalid(`${field} must be an object`);
  requiredText(value.trait_type, `${field}.trait_type`, MAX_TRAIT_TYPE_LENGTH);
  const v = value.value;
  if (v === undefined) throw new Invalid(`${field}.value is required`);
  if (typeof v === "string") {
    if (charLength(v) > MAX_ATTRIBUTE_VALUE_LENGTH) {
      throw new Invalid(`${field}.value must be at most ${MAX_ATTRIBUTE_VALUE_LENGTH} characters`);
    }
  } else if (typeof v !== "number") {
    throw new Invalid(`${field}.value must be a string or a number`);
  }
  optionalText(value.display_type, `${field}.display_type`, MAX_TRAIT_TYPE_LENGTH);
}

/**
 * Token metadata (`metadata` of a mint or of a metadata update):
 * `{name, image?, description?, animation_url?, attributes?, ...anything else}`.
 */
export function validateNftMetadata(input: unknown): Checked<NftMetadata> {
  try {
    const metadata = jsonCopy(input, "metadata");
    requiredText(metadata.name, "metadata.name", MAX_NAME_LENGTH);
    optionalUrl(metadata.image, "metadata.image");
    optionalText(metadata.description, "metadata.description", MAX_DESCRIPTION_LENGTH);
    // Crossmint's own sample bodies send an empty animation_url: none.
    if (metadata.animation_url !== "")
      optionalUrl(metadata.animation_url, "metadata.animation_url");
    const attributes = metadata.attributes;
    if (attributes !== undefined) {
      if (!Array.isArray(attributes)) throw new Invalid("metadata.attributes must be an array");
      if (attributes.length > MAX_ATTRIBUTES) {
        throw new Invalid(`metadata.attributes must have at most ${MAX_ATTRIBUTES} entries`);
      }
      attributes.forEach((a, i) => checkAttribute(a, `metadata.attributes[${i}]`));
    }
    return { ok: true, metadata: metadata as NftMetadata };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, message: error.message };
    throw error;
  }
}

/**
 * A mint's or an edit's `metadata` in any of Crossmint's forms: an object (Herald stores it and
 * serves it at its own token URI), a URL of metadata already published (the token URI is that
 * URL: `tokenUri`), or `{uri, name?}`, the same with a name.
 */
export function validateMetadataInput(
  input: unknown,
): Checked<{ metadata: Record<string, unknown>; tokenUri: string | null }> {
  try {
    if (typeof input === "string") {
      const uri = optionalUrl(input, "metadata")!;
      return { ok: true, metadata: { metadata: { uri }, tokenUri: uri } };
    }
    if (isPlainObject(input) && typeof input.uri === "string") {
      const extra = Object.keys(input).filter((key) => key !== "uri" && key !== "name");
      if (extra.length > 0) {
        throw new Invalid(`metadata given by uri takes only a name besides (not ${extra[0]})`);
      }
      const uri = optionalUrl(input.uri, "metadata.uri")!;
      const name = optionalText(input.name, "metadata.name", MAX_NAME_LENGTH);
      return {
        ok: true,
        metadata: { metadata: { uri, ...(name !== undefined ? { name } : {}) }, tokenUri: uri },
      };
    }
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, message: error.message };
    throw error;
  }
  const checked = validateNftMetadata(input);
  if (!checked.ok) return checked;
  return { ok: true, metadata: { metadata: checked.metadata, tokenUri: null } };
}

/** Upper-case ASCII letters and digits of the name, at most five: "Cool Cats 2" → "COOLC". */
export function deriveSymbol(name: string): string {
  const symbol = name
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "")
    .slice(0, DERIVED_SYMBOL_LENGTH);
  return symbol.length > 0 ? symbol : FALLBACK_SYMBOL;
}

/**
 * Collection metadata `{name, symbol?, description?, imageUrl?}` → the normalized metadata, its
 * symbol derived from the name when not given. Other fields are dropped: they reach neither the
 * contract nor Crossmint's response shape.
 */
export function validateCollectionMetadata(input: unknown): Checked<CollectionMetadata> {
  try {
    const given = jsonCopy(input, "metadata");
    const name = requiredText(given.name, "metadata.name", MAX_NAME_LENGTH);
    let symbol = optionalText(given.symbol, "metadata.symbol", MAX_SYMBOL_LENGTH);
    if (symbol !== undefined) {
      symbol = symbol.trim();
      if (symbol.length === 0) throw new Invalid("metadata.symbol must not be empty");
      if (CONTROL.test(symbol))
        throw new Invalid("metadata.symbol must not contain control characters");
    }
    const description = optionalText(
      given.description,
      "metadata.description",
      MAX_DESCRIPTION_LENGTH,
    );
    const imageUrl = optionalUrl(given.imageUrl, "metadata.imageUrl");
    const metadata: CollectionMetadata = { name, symbol: symbol ?? deriveSymbol(name) };
    if (description !== undefined) metadata.description = description;
    if (imageUrl !== undefined) metadata.imageUrl = imageUrl;
    return { ok: true, metadata };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, message: error.message };
    throw error;
  }
}
