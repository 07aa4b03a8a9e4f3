// A chain family (EVM, Solana, …) as the family-neutral code sees it: how its chains are
// configured, what its addresses look like, how custodial wallets are derived, and how one of
// its chains is run. Each family is one folder under src/chain/ and one line in
// src/chain/families.ts; nothing else names it.
import type { ChainObservations } from "../chain/chain-observations.js";
import type { ChainResults } from "../chain/chain-results.js";
import type { SignerAlerts } from "../chain/signer-alerts.js";
import type { ChainBase, ChainInfo } from "../chain/chain-types.js";
import type { SecretBox } from "../runtime/secret-box.js";
import type { Signals } from "../runtime/signals.js";
import type { Log } from "./log.js";
import type { Store } from "./store.js";
import type { WorkTracer } from "./trace.js";

/** What a token carries on chain where its family keeps metadata there (Solana). */
export interface TokenMetadata {
  name: string;
  symbol: string;
  uri: string;
}

export type ParsedAddress = { ok: true; address: string } | { ok: false; message: string };

/** What a chain's node answered when asked which chain it is (see `verifyChain`). */
export type ChainIdentity =
  | { status: "verified" }
  /** The node is another chain: `message`, one line, names the chain and both ids. */
  | { status: "mismatch"; message: string }
  /** The node could not be asked (down, too slow, not a node): `reason`, one line. */
  | { status: "unreachable"; reason: string };

/** What a running chain reports for operators' metrics. */
export interface ChainMetrics {
  /** One JSON-RPC call, as it ended. */
  rpcCall(chain: string, method: string, failed: boolean): void;
  /** The signer's balance (whole coins) and next nonce, as last read. */
  signer(chain: string, address: string, state: { balance?: number; nonce?: number }): void;
}

/** What a running chain needs from Herald. */
export interface ChainContext {
  /** Where RPC calls and signer state are counted; none by default. */
  metrics?: ChainMetrics;
  /** Spans of a job's transaction, under the job's traceparent; none by default. */
  tracer?: WorkTracer;
  store: Store;
  signals: Signals;
  /** Where a job's outcome goes: records, the action's completion, its webhook. */
  results: ChainResults;
  /** Where what the chain's watcher saw goes: chain-observed events. */
  observations: ChainObservations;
  /** Seals generated signer keys at rest. */
  box: SecretBox;
  /** Where a signer's low balance is announced (`signer.balance_low`); none in some tests. */
  alerts?: SignerAlerts;
  log: Log;
  /** A folder the chain may keep files in (an embedded chain's journal). */
  stateDir: string;
}

/** A signing account of a running chain, as last read. */
export interface SignerStatus {
  address: string;
  /** In the native coin, decimal text; null: not read yet. */
  balance: string | null;
  /** The next nonce (EVM); null where the family has none or it was not read. */
  nonce: number | null;
  /** Transactions sent and not yet mined (or landed). */
  pending: number;
  /** Given new work (its balance is above the chain's threshold). */
  funded: boolean;
}

/** One RPC node of a chain with several (`rpcUrls`); its URL is not shown (it may hold a key). */
export interface RpcNodeStatus {
  up: boolean;
  head: number | null;
  lagging: boolean;
}

/** What a running chain tells operators (`GET /chains`, the console). */
export interface LiveChainStatus {
  /** The latest block number (EVM) or block height (Solana). */
  head: number | null;
  signers: SignerStatus[];
  nodes?: RpcNodeStatus[];
}

/** One chain being worked: its jobs sent, followed and settled; its logs watched. */
export interface RunningChain {
  readonly info: ChainInfo;
  stop(): Promise<void>;
  /** Its head and signers now. */
  status?(): Promise<LiveChainStatus>;
  /** Replaces what waits at a signer's nonce with a transfer to itself (HeraldError: no such
   * signer, or nothing of Herald's pending there); the cancelling transaction's hash. */
  cancelNonce?(signer: string, nonce: number): Promise<{ txHash: string }>;
}

export interface ChainAdapter {
  /** The `family` of a HERALD_CHAINS entry: "evm", "solana". */
  readonly family: string;
  /** The chain this family runs in process with nothing to install, if any (EVM: `local`). */
  readonly embeddedChain: ChainInfo | null;
  /** The embedded chain's name is also the public network's (Solana: `solana`, Crossmint's
   * name): a HERALD_CHAINS entry of that name with an rpcUrl replaces the embedded chain. */
  readonly embeddedNamePublic?: boolean;
  /**
   * Chains this family knows by name (EVM: Crossmint's names, `base`, `polygon`, …): a
   * HERALD_CHAINS entry so named needs only its rpcUrl, and a request naming one that is not
   * configured is told how to enable it.
   */
  readonly knownChains?: readonly string[];
  /**
   * A HERALD_CHAINS entry of this family, its common fields already checked (`base`): the
   * family's own fields checked and filled in. Throws an Error whose message names the field.
   */
  parseChain(entry: Record<string, unknown>, base: ChainBase, where: string): ChainInfo;
  /**
   * Asks a configured JSON-RPC chain's node which chain it is (EVM: eth_chainId), within
   * `timeoutMs`. Start-up stops on a mismatch and goes on when the node cannot be asked.
   */
  verifyChain?(chain: ChainInfo, timeoutMs: number): Promise<ChainIdentity>;
  /** false: its collections can only be non-fungible (Solana's, as Crossmint says). */
  readonly semiFungible?: boolean;
  /** Why this metadata cannot go on chain as it is (one line), or null; none: anything can. */
  tokenMetadataProblem?(metadata: TokenMetadata): string | null;
  /** A recipient's address on one of this family's chains, in canonical form. */
  parseAddress(text: string): ParsedAddress;
  /** The custodial wallet of an owner in a project (its key: core/chain/custodial-owners.ts),
   * derived from `secret` (32 bytes): the same address every time. */
  custodialAddress(secret: Uint8Array, projectId: string, ownerKey: string): string;
  /** Starts working `chain`: resumes what was in flight, then sends, follows and watches. */
  startChain(chain: ChainInfo, context: ChainContext): Promise<RunningChain>;
}
