// The chains Herald can act on, by name. `local` is the embedded development chain.

export interface ChainInfo {
  name: string;
  chainId: number;
  /** Blocks on top of the transaction's before it counts as confirmed (1 = mined). */
  confirmations: number;
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
  rpcUrl: null,
  replaceAfterMs: 30_000,
};

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

/** `HERALD_CHAINS`: a JSON array of chains reached over JSON-RPC. */
export function parseChains(text: string): ChainInfo[] {
  if (text.trim() === "") return [];
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    throw new Error("must be a JSON array of chains");
  }
  if (!Array.isArray(list)) throw new Error("must be a JSON array of chains");
  const names = new Set(["local"]);
  return list.map((item: unknown, i) => {
    const c = item as Record<string, unknown>;
    const where = `chain ${i + 1}`;
    if (typeof c !== "object" || c === null) throw new Error(`${where} must be an object`);
    if (typeof c.name !== "string" || !CHAIN_NAME.test(c.name)) {
      throw new Error(`${where}: name must be lower-case letters, digits and '-'`);
    }
    if (names.has(c.name)) throw new Error(`${where}: the name "${c.name}" is taken`);
    names.add(c.name);
    if (typeof c.rpcUrl !== "string" || !/^(https?|wss?):\/\//.test(c.rpcUrl)) {
      throw new Error(`${where} (${c.name}): rpcUrl must be an http(s) or ws(s) URL`);
    }
    if (!Number.isInteger(c.chainId) || (c.chainId as number) <= 0) {
      throw new Error(`${where} (${c.name}): chainId must be a positive whole number`);
    }
    const confirmations = c.confirmations ?? 1;
    if (!Number.isInteger(confirmations) || (confirmations as number) < 1) {
      throw new Error(`${where} (${c.name}): confirmations must be a whole number from 1`);
    }
    if (
      c.privateKey !== undefined &&
      (typeof c.privateKey !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(c.privateKey))
    ) {
      throw new Error(`${where} (${c.name}): privateKey must be 0x and 64 hex digits`);
    }
    return {
      name: c.name,
      chainId: c.chainId as number,
      confirmations: confirmations as number,
      rpcUrl: c.rpcUrl,
      replaceAfterMs: typeof c.replaceAfterMs === "number" ? c.replaceAfterMs : 60_000,
      ...(c.privateKey ? { privateKey: c.privateKey as string } : {}),
    };
  });
}
