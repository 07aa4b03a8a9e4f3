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
