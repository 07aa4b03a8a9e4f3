// The chains Herald can act on, by name, each with the family (EVM, Solana…) that runs it.
// Each family may offer an embedded chain (EVM: `local`) that needs nothing installed.
import type { ChainAdapter, ParsedAddress, TokenMetadata } from "../ports/chain-adapter.js";
import type { ChainBase, ChainInfo } from "./chain-types.js";

export type { ChainBase, ChainInfo };

/** The chain families as far as configuration goes (see ChainAdapter). */
export type ChainFamilies = readonly Pick<
  ChainAdapter,
  "family" | "embeddedChain" | "embeddedNamePublic" | "knownChains" | "parseChain"
>[];

export const DEFAULT_FAMILY = "evm";

/**
 * Why a request cannot use the chain `name` (null: it is configured). A name a family knows
 * (`knownNames`, Crossmint's) is told the setting that enables it; any other is told what is
 * configured.
 */
export function chainUnavailable(
  name: string,
  configured: readonly string[],
  knownNames: readonly string[],
): string | null {
  if (configured.includes(name)) return null;
  if (knownNames.includes(name)) {
    return (
      `chain "${name}" is not configured on this Herald: ` +
      `add {"name":"${name}","rpcUrl":"…"} to HERALD_CHAINS`
    );
  }
  const known = configured.length > 0 ? configured.join(", ") : "none configured";
  return `unknown chain "${name}"; known chains: ${known}`;
}

export class ChainRegistry {
  private readonly byName = new Map<string, ChainInfo>();
  private readonly adapters = new Map<string, ChainAdapter>();

  /** The families' embedded chains, then `chains` (an entry of the same name replaces one). */
  constructor(chains: ChainInfo[], adapters: readonly ChainAdapter[]) {
    for (const adapter of adapters) {
      this.adapters.set(adapter.family, adapter);
      if (adapter.embeddedChain) this.byName.set(adapter.embeddedChain.name, adapter.embeddedChain);
    }
    for (const chain of chains) this.byName.set(chain.name, chain);
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  get(name: string): ChainInfo | undefined {
    return this.byName.get(name);
  }

  all(): ChainInfo[] {
    return [...this.byName.values()];
  }

  /** Why a request cannot use the chain `name`; null when it is configured (chainUnavailable). */
  unavailable(name: string): string | null {
    const known = [...this.adapters.values()].flatMap((adapter) => adapter.knownChains ?? []);
    return chainUnavailable(name, this.names, known);
  }

  /** Whether a family knows the chain `name` though it is not configured (HERALD_CHAINS would enable it). */
  enableable(name: string): boolean {
    if (this.byName.has(name)) return false;
    return [...this.adapters.values()].some((adapter) => adapter.knownChains?.includes(name));
  }

  /** Why a token's metadata cannot go on `chain` as it is (too long for Solana's one
   * transaction, say); null if it can. */
  tokenMetadataProblem(chain: string, metadata: TokenMetadata): string | null {
    const info = this.byName.get(chain);
    if (!info) return null;
    return this.adapterOf(info).tokenMetadataProblem?.(metadata) ?? null;
  }

  /** Whether collections on `chain` may be semi-fungible (its family says; EVM's may). */
  semiFungible(chain: string): boolean {
    const info = this.byName.get(chain);
    return !info || this.adapterOf(info).semiFungible !== false;
  }

  /** The adapter of a configured chain's family. */
  adapterOf(chain: ChainInfo): ChainAdapter {
    const adapter = this.adapters.get(chain.family);
    if (!adapter) throw new Error(`no adapter for the chain family "${chain.family}"`);
    return adapter;
  }

  /** An address on `chain` (a configured chain's name), as its family writes it. */
  parseAddress(chain: string, text: string): ParsedAddress {
    const info = this.byName.get(chain);
    if (!info) return { ok: false, message: this.unavailable(chain)! };
    return this.adapterOf(info).parseAddress(text);
  }
}

const CHAIN_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const RPC_URL = /^(https?|wss?):\/\//;
const MAX_RPC_URLS = 8;

/** An entry's node URLs: `rpcUrl`, or `rpcUrls` (a list, the first preferred); none given:
 * undefined. */
function rpcUrlsOf(c: Record<string, unknown>, named: string): string[] | undefined {
  if (c.rpcUrls !== undefined) {
    if (c.rpcUrl !== undefined) throw new Error(`${named}: give rpcUrl or rpcUrls, not both`);
    const urls = c.rpcUrls;
    if (
      !Array.isArray(urls) ||
      urls.length === 0 ||
      urls.length > MAX_RPC_URLS ||
      !urls.every((u) => typeof u === "string" && RPC_URL.test(u))
    ) {
      throw new Error(
        `${named}: rpcUrls must be a list of 1 to ${MAX_RPC_URLS} http(s) or ws(s) URLs`,
      );
    }
    if (new Set(urls).size !== urls.length) throw new Error(`${named}: rpcUrls lists a URL twice`);
    return urls as string[];
  }
  if (c.rpcUrl === undefined) return undefined;
  if (typeof c.rpcUrl !== "string" || !RPC_URL.test(c.rpcUrl)) {
    throw new Error(`${named}: rpcUrl must be an http(s) or ws(s) URL`);
  }
  return [c.rpcUrl];
}

/**
 * `HERALD_CHAINS`: a JSON array of chains. The fields every family shares are checked here
 * (`name`, `family`, `rpcUrl`, `confirmations`); the family checks its own and fills in its
 * defaults. An entry named as a family's embedded chain (without `rpcUrl`) changes its settings;
 * one with a name a family knows (Crossmint's) is of that family, and needs only `rpcUrl`.
 */
export function parseChains(text: string, families: ChainFamilies): ChainInfo[] {
  if (text.trim() === "") return [];
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    throw new Error("must be a JSON array of chains");
  }
  if (!Array.isArray(list)) throw new Error("must be a JSON array of chains");
  const names = new Set<string>();
  return list.map((item: unknown, i) => {
    const c = item as Record<string, unknown>;
    const where = `chain ${i + 1}`;
    if (typeof c !== "object" || c === null) throw new Error(`${where} must be an object`);
    if (typeof c.name !== "string" || !CHAIN_NAME.test(c.name)) {
      throw new Error(`${where}: name must be lower-case letters, digits and '-'`);
    }
    if (names.has(c.name)) throw new Error(`${where}: the name "${c.name}" is taken`);
    names.add(c.name);
    const named = `${where} (${c.name})`;
    const embedded = families.find((f) => f.embeddedChain?.name === c.name);
    const knowing = families.find((f) => f.knownChains?.includes(c.name as string));
    const family = c.family ?? embedded?.family ?? knowing?.family ?? DEFAULT_FAMILY;
    const adapter = families.find((f) => f.family === family);
    if (!adapter) {
      const known = families.map((f) => f.family).join(", ");
      throw new Error(`${named}: family must be one of ${known}`);
    }
    // A family whose embedded chain has the public network's name (Solana's `solana`, as
    // Crossmint names it) lets an entry with an rpcUrl take that name over.
    const urls = rpcUrlsOf(c, named);
    const takesOver = adapter.embeddedNamePublic === true && urls !== undefined;
    const local = adapter.embeddedChain?.name === c.name && !takesOver;
    if (local && urls !== undefined) {
      throw new Error(
        `${named}: "${c.name}" is the embedded chain and takes no rpcUrl; name yours`,
      );
    }
    if (!local && urls === undefined) {
      throw new Error(`${named}: rpcUrl must be an http(s) or ws(s) URL`);
    }
    const confirmations = c.confirmations ?? 1;
    if (!Number.isInteger(confirmations) || (confirmations as number) < 1) {
      throw new Error(`${named}: confirmations must be a whole number from 1`);
    }
    const base: ChainBase = {
      name: c.name,
      family: adapter.family,
      confirmations: confirmations as number,
      rpcUrl: local ? null : urls![0]!,
      ...(!local && urls!.length > 1 ? { rpcUrls: urls } : {}),
    };
    return adapter.parseChain(c, base, named);
  });
}
