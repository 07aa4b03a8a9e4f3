// The chains Herald can act on, by name. `local` is the embedded development chain.

export interface ChainInfo {
  name: string;
  chainId: number;
  /** Blocks on top of the transaction's before it counts as confirmed (1 = mined). */
  confirmations: number;
  /** Depth from which a block is final: until then a reorg sends its actions back to pending. */
  finality: number;
  /** null: the embedded in-process chain. */
  rpcUrl: string | null;
  /** Not mined after this long: the transaction is replaced with higher fees. */
  replaceAfterMs: number;
  /** The signer's key, when the operator brings one; otherwise one is generated and stored sealed. */
  privateKey?: string;
}

export const LOCAL_CHAIN: ChainInfo = {
  name: "local",
  chainId: 31337,
  confirmations: 1,
  finality: 12,
  rpcUrl: null,
  replaceAfterMs: 30_000,
};

/** Remote chains: Ethereum's blocks are final after two epochs (64 blocks). */
const DEFAULT_FINALITY = 64;

export class ChainRegistry {
  private readonly byName = new Map<string, ChainInfo>();

  constructor(chains: ChainInfo[]) {
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
}

const CHAIN_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** `HERALD_CHAINS`: a JSON array of chains reached over JSON-RPC; an entry named `local`
 * (without `rpcUrl`) changes the embedded chain's settings. */
export function parseChains(text: string): ChainInfo[] {
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
    const local = c.name === LOCAL_CHAIN.name;
    if (local && c.rpcUrl !== undefined) {
      throw new Error(`${named}: "local" is the embedded chain and takes no rpcUrl; name yours`);
    }
    if (!local && (typeof c.rpcUrl !== "string" || !/^(https?|wss?):\/\//.test(c.rpcUrl))) {
      throw new Error(`${named}: rpcUrl must be an http(s) or ws(s) URL`);
    }
    const chainId = c.chainId ?? (local ? LOCAL_CHAIN.chainId : undefined);
    if (!Number.isInteger(chainId) || (chainId as number) <= 0) {
      throw new Error(`${named}: chainId must be a positive whole number`);
    }
    const confirmations = c.confirmations ?? 1;
    if (!Number.isInteger(confirmations) || (confirmations as number) < 1) {
      throw new Error(`${named}: confirmations must be a whole number from 1`);
    }
    const defaultFinality = local ? LOCAL_CHAIN.finality : DEFAULT_FINALITY;
    const finality = c.finality ?? Math.max(defaultFinality, confirmations as number);
    if (!Number.isInteger(finality) || (finality as number) < (confirmations as number)) {
      throw new Error(`${named}: finality must be a whole number, at least confirmations`);
    }
    const replaceAfterMs = c.replaceAfterMs ?? (local ? LOCAL_CHAIN.replaceAfterMs : 60_000);
    if (!Number.isInteger(replaceAfterMs) || (replaceAfterMs as number) < 100) {
      throw new Error(`${named}: replaceAfterMs must be a whole number of ms from 100`);
    }
    if (
      c.privateKey !== undefined &&
      (typeof c.privateKey !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(c.privateKey))
    ) {
      throw new Error(`${named}: privateKey must be 0x and 64 hex digits`);
    }
    return {
      name: c.name,
      chainId: chainId as number,
      confirmations: confirmations as number,
      finality: finality as number,
      rpcUrl: local ? null : (c.rpcUrl as string),
      replaceAfterMs: replaceAfterMs as number,
      ...(c.privateKey ? { privateKey: c.privateKey as string } : {}),
    };
  });
}
