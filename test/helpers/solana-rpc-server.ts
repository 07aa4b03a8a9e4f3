// A Solana JSON-RPC endpoint served by the test itself over LiteSVM (no validator can be
// installed on these machines). It answers only the methods Herald calls (docs/chain.md, "Solana
// over JSON-RPC: the methods Herald calls"), in the shapes Solana's RPC documents them:
// getLatestBlockhash, getBlockHeight, sendTransaction (with preflight), getSignatureStatuses,
// getTransaction, getAccountInfo, getBalance, getSlot, getSignaturesForAddress. Any other method
// is -32601, as a node answers a method it does not have.
//
// The state behind it is the embedded cluster (src/chain/solana/ledger/embedded-ledger.ts,
// journal-less): only the latest blockhash is valid, `advance(n)` expires it and moves the block
// height n on; whatever executed is finalized at once.
//
// Faults for tests: `dropSends` answers sendTransaction with the signature and executes nothing
// (a transaction lost on its way to the leader); `preflight = false` executes a transaction even
// when its simulation fails (one that passed preflight, then failed on a changed state), so it
// lands with its error.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import {
  getBase58Decoder,
  getBase58Encoder,
  getBase64Decoder,
  getBase64Encoder,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
  type Address,
  type Transaction,
} from "@solana/kit";
import { FailedTransactionMetadata, type LiteSVM } from "litesvm";
import { describeTxError, fromLiteSvmError, type TxError } from "../../src/chain/solana/errors.js";
import {
  openEmbeddedSolana,
  TRANSACTION_SIZE_LIMIT,
  type EmbeddedSolana,
} from "../../src/chain/solana/ledger/embedded-ledger.js";

/** The methods this endpoint serves: the ones Herald calls. */
export const SERVED_METHODS = [
  "getLatestBlockhash",
  "getBlockHeight",
  "sendTransaction",
  "getSignatureStatuses",
  "getTransaction",
  "getAccountInfo",
  "getBalance",
  "getSlot",
  "getSignaturesForAddress",
] as const;

/** One sendTransaction the endpoint took (preflight failures are not taken). */
export interface TakenSend {
  signature: string;
  wire: Uint8Array;
  /** Dropped: answered, never executed. */
  dropped: boolean;
}

interface Executed {
  wire: Uint8Array;
  slot: bigint;
  blockTime: number;
  err: TxError | null;
  logs: string[];
  unitsConsumed: number;
  preBalances: number[];
  postBalances: number[];
}

/** A JSON-RPC error: its code, message and data as a node sends them. */
class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

const LAMPORTS_PER_SIGNATURE = 5_000;
const U64_MAX = 18_446_744_073_709_551_615n;
const API_VERSION = "2.2.16";

const invalidParams = (message: string) => new RpcError(-32602, `Invalid params: ${message}`);

// The message a node gives a preflight failure (solana_transaction_error's Display).
function preflightMessage(err: TxError): string {
  if (err === "BlockhashNotFound") return "Transaction simulation failed: Blockhash not found";
  if (err === "AlreadyProcessed") {
    return "Transaction simulation failed: This transaction has already been processed";
  }
  if (typeof err === "object" && Array.isArray(err.InstructionError)) {
    const [index, cause] = err.InstructionError as [number, unknown];
    const what =
      cause && typeof cause === "object" && "Custom" in cause
        ? `custom program error: 0x${Number((cause as { Custom: number }).Custom).toString(16)}`
        : JSON.stringify(cause);
    return `Transaction simulation failed: Error processing Instruction ${index}: ${what}`;
  }
  return `Transaction simulation failed: ${describeTxError(err)}`;
}

/** JSON with bigints written as bare digits, as a node writes u64s. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === "bigint" ? `__u64__${v.toString()}` : v,
  ).replace(/"__u64__(\d+)"/g, "$1");
}

function configOf(params: unknown[], index: number): Record<string, unknown> {
  const config = params[index];
  if (config === undefined || config === null) return {};
  if (typeof config !== "object" || Array.isArray(config)) {
    throw invalidParams("the configuration must be an object");
  }
  return config as Record<string, unknown>;
}

function checkCommitment(config: Record<string, unknown>, key = "commitment"): void {
  const commitment = config[key];
  if (commitment === undefined) return;
  if (!["processed", "confirmed", "finalized"].includes(commitment as string)) {
    throw invalidParams(`unknown variant \`${String(commitment)}\` for ${key}`);
  }
}

function stringParam(params: unknown[], index: number, what: string): string {
  const value = params[index];
  if (typeof value !== "string") throw invalidParams(`${what} must be a string`);
  return value;
}

function isAddress(text: string): boolean {
  try {
    return getBase58Encoder().encode(text).length === 32;
  } catch {
    return false;
  }
}

export class SolanaRpcServer {
  /** Every call's method, in order (batches included, one entry a request). */
  readonly calls: string[] = [];
  /** Every sendTransaction taken, dropped or executed, in order. */
  readonly sends: TakenSend[] = [];
  /** Drops every send while set: answered with the signature, never executed. */
  dropSends = false;
  /** Simulates a transaction before executing it, refusing one that fails (-32002). */
  preflight = true;
  /** Slots a landed transaction stays `confirmed` before it is `finalized` (0: at once). */
  finalizeAfterSlots = 0;
  url = "";
  private readonly executed = new Map<string, Executed>();
  /** Each address's transactions (executed, failed or not), oldest first. */
  private readonly touched = new Map<string, string[]>();
  private readonly server = createServer((req, res) => this.handle(req, res));
  private readonly sockets = new Set<Socket>();

  private constructor(readonly cluster: EmbeddedSolana) {}

  /** Serves a fresh cluster on 127.0.0.1, `payer` funded with a million SOL. */
  static async start(payer: string): Promise<SolanaRpcServer> {
    const server = new SolanaRpcServer(openEmbeddedSolana(null, payer as Address));
    server.server.on("connection", (socket) => {
      server.sockets.add(socket);
      socket.on("close", () => server.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.server.listen(0, "127.0.0.1", resolve));
    const { port } = server.server.address() as AddressInfo;
    server.url = `http://127.0.0.1:${port}`;
    return server;
  }

  get svm(): LiteSVM {
    return this.cluster.svm;
  }

  /** The sends dropped so far. */
  get dropped(): TakenSend[] {
    return this.sends.filter((s) => s.dropped);
  }

  /** Moves the cluster `slots` on: the current blockhash expires, the block height goes up. */
  advance(slots: number): void {
    this.cluster.advance(slots);
  }

  /** The methods called so far, each once, in the order first called. */
  methods(): string[] {
    return [...new Set(this.calls)];
  }

  private get slot(): bigint {
    return this.svm.getClock().slot;
  }

  private context() {
    return { apiVersion: API_VERSION, slot: this.slot };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        this.reply(res, {
          jsonrpc: "2.0",
          error: { code: -32700, message: "Parse error" },
          id: null,
        });
        return;
      }
      const answering = Array.isArray(body)
        ? Promise.all(body.map((r) => this.answer(r)))
        : this.answer(body);
      answering.then(
        (answer) => this.reply(res, answer),
        (error: unknown) => {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(String(error));
        },
      );
    });
  }

  private reply(res: ServerResponse, answer: unknown): void {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(toJson(answer));
  }

  private async answer(request: unknown): Promise<unknown> {
    const {
      id = null,
      method,
      params = [],
    } = (request ?? {}) as {
      id?: unknown;
      method?: unknown;
      params?: unknown;
    };
    if (typeof method !== "string") {
      return { jsonrpc: "2.0", error: { code: -32600, message: "Invalid request" }, id };
    }
    this.calls.push(method);
    try {
      if (!Array.isArray(params)) throw invalidParams("params must be an array");
      return { jsonrpc: "2.0", result: await this.call(method, params as unknown[]), id };
    } catch (error) {
      if (!(error instanceof RpcError)) throw error;
      const { code, message, data } = error;
      return {
        jsonrpc: "2.0",
        error: { code, message, ...(data === undefined ? {} : { data }) },
        id,
      };
    }
  }

  private async call(method: string, params: unknown[]): Promise<unknown> {
    switch (method) {
      case "getLatestBlockhash":
        return await this.getLatestBlockhash(params);
      case "getBlockHeight":
        checkCommitment(configOf(params, 0));
        return await this.cluster.blockHeight();
      case "sendTransaction":
        return await this.sendTransaction(params);
      case "getSignatureStatuses":
        return await this.getSignatureStatuses(params);
      case "getTransaction":
        return this.getTransaction(params);
      case "getAccountInfo":
        return this.getAccountInfo(params);
      case "getSlot":
        checkCommitment(configOf(params, 0));
        return this.slot;
      case "getSignaturesForAddress":
        return this.getSignaturesForAddress(params);
      case "getBalance": {
        const address = stringParam(params, 0, "the address");
        if (!isAddress(address)) throw invalidParams("Invalid param: Invalid");
        checkCommitment(configOf(params, 1));
        return {
          context: this.context(),
          value: BigInt(this.svm.getBalance(address as Address) ?? 0n),
        };
      }
      default:
        throw new RpcError(-32601, "Method not found");
    }
  }

  private async getLatestBlockhash(params: unknown[]) {
    checkCommitment(configOf(params, 0));
    // Only the latest blockhash is valid here: it lasts until the height moves on.
    const { blockhash, lastValidBlockHeight } = await this.cluster.latestBlockhash();
    return { context: this.context(), value: { blockhash, lastValidBlockHeight } };
  }

  private async sendTransaction(params: unknown[]): Promise<string> {
    const encoded = stringParam(params, 0, "the transaction");
    const config = configOf(params, 1);
    checkCommitment(config, "preflightCommitment");
    const encoding = config.encoding ?? "base58";
    let wire: Uint8Array;
    try {
      if (encoding === "base64") wire = Uint8Array.from(getBase64Encoder().encode(encoded));
      else if (encoding === "base58") wire = Uint8Array.from(getBase58Encoder().encode(encoded));
      else throw invalidParams(`unsupported encoding: ${String(encoding)}`);
    } catch (error) {
      if (error instanceof RpcError) throw error;
      throw invalidParams(`invalid ${String(encoding)} encoding`);
    }
    if (wire.length > TRANSACTION_SIZE_LIMIT) {
      throw invalidParams(
        `${String(encoding)} encoded solana_transaction::versioned::VersionedTransaction too large: ` +
          `${wire.length} bytes (max: ${TRANSACTION_SIZE_LIMIT} bytes)`,
      );
    }
    let tx: Transaction;
    try {
      tx = getTransactionDecoder().decode(wire);
    } catch {
      throw invalidParams(
        "failed to deserialize solana_transaction::versioned::VersionedTransaction",
      );
    }
    const [firstSignature] = Object.values(tx.signatures);
    if (!firstSignature) throw invalidParams("the transaction has no signature");
    const signature = getBase58Decoder().decode(firstSignature);
    if (Object.values(tx.signatures).some((s) => s === null)) {
      throw new RpcError(-32003, "Transaction signature verification failure");
    }
    if (this.preflight && config.skipPreflight !== true) {
      const simulated = this.svm.simulateTransaction(tx as never);
      if (simulated instanceof FailedTransactionMetadata) {
        const err = fromLiteSvmError(simulated.err());
        if (err === "SignatureFailure") {
          throw new RpcError(-32003, "Transaction signature verification failure");
        }
        const meta = simulated.meta();
        throw new RpcError(-32002, preflightMessage(err), {
          accounts: null,
          err,
          innerInstructions: null,
          loadedAccountsDataSize: 0,
          logs: meta.logs(),
          replacementBlockhash: null,
          returnData: null,
          unitsConsumed: meta.computeUnitsConsumed(),
        });
      }
    }
    const dropped = this.dropSends;
    this.sends.push({ signature, wire, dropped });
    if (!dropped) await this.execute(signature, wire, tx);
    return signature;
  }

  /** Executes a transaction, keeping what getTransaction tells of it. */
  private async execute(signature: string, wire: Uint8Array, tx: Transaction): Promise<void> {
    if (this.executed.has(signature)) return;
    const keys = this.accountKeys(tx);
    const balances = () => keys.map((k) => Number(this.svm.getBalance(k as Address) ?? 0n));
    const preBalances = balances();
    const slot = this.slot;
    // The embedded cluster refuses what never executes (a stale blockhash, a duplicate): a node
    // that took it without preflight drops it silently.
    await this.cluster.send(wire).catch(() => undefined);
    const [landed] = await this.cluster.statuses([signature]);
    const result = this.svm.getTransaction(signature as never);
    if (!landed || !result) return;
    const failed = result instanceof FailedTransactionMetadata;
    const meta = failed ? result.meta() : result;
    for (const key of new Set(keys)) {
      const list = this.touched.get(key) ?? [];
      list.push(signature);
      this.touched.set(key, list);
    }
    this.executed.set(signature, {
      wire,
      slot,
      blockTime: Math.floor(Date.now() / 1000),
      err: failed ? fromLiteSvmError(result.err()) : null,
      logs: meta.logs(),
      unitsConsumed: Number(meta.computeUnitsConsumed()),
      preBalances,
      postBalances: balances(),
    });
  }

  private accountKeys(tx: Transaction): string[] {
    const message = getCompiledTransactionMessageDecoder().decode(tx.messageBytes);
    return [...message.staticAccounts];
  }

  private async getSignatureStatuses(params: unknown[]) {
    const signatures = params[0];
    if (!Array.isArray(signatures) || signatures.some((s) => typeof s !== "string")) {
      throw invalidParams("the signatures must be an array of strings");
    }
    if (signatures.length > 256) throw invalidParams("Too many inputs provided; max 256");
    configOf(params, 1); // searchTransactionHistory: this node keeps its whole history
    const statuses = await this.cluster.statuses(signatures as string[]);
    const height = await this.cluster.blockHeight();
    return {
      context: this.context(),
      value: statuses.map((landed, i) => {
        if (!landed) return null;
        const slot = this.executed.get((signatures as string[])[i]!)?.slot ?? landed.slot;
        // Depth in blocks: the height it landed at (the cluster's slot numbers are the clock's).
        const depth = height - landed.slot;
        const finalized = depth >= BigInt(this.finalizeAfterSlots);
        return {
          slot,
          // null: finalized (rooted), as a node reports it.
          confirmations: finalized ? null : Number(depth),
          err: landed.err,
          status: landed.err === null ? { Ok: null } : { Err: landed.err },
          confirmationStatus: finalized ? "finalized" : "confirmed",
        };
      }),
    };
  }

  private getSignaturesForAddress(params: unknown[]) {
    const address = stringParam(params, 0, "the address");
    if (!isAddress(address)) throw invalidParams("Invalid param: Invalid");
    const config = configOf(params, 1);
    checkCommitment(config);
    if (config.commitment === "processed") {
      throw invalidParams("Method does not support commitment below `confirmed`");
    }
    const limit = config.limit ?? 1000;
    if (typeof limit !== "number" || limit < 1 || limit > 1000) {
      throw invalidParams("Invalid limit; max 1000");
    }
    // Newest first; `before` and `until` are exclusive bounds, as a node reads them.
    const newest = [...(this.touched.get(address) ?? [])].reverse();
    let from = 0;
    if (config.before !== undefined) {
      const at = newest.indexOf(config.before as string);
      if (at < 0) return [];
      from = at + 1;
    }
    const until = config.until === undefined ? -1 : newest.indexOf(config.until as string);
    const end = until < 0 ? newest.length : until;
    return newest
      .slice(from, end)
      .slice(0, limit)
      .map((signature) => {
        const landed = this.executed.get(signature)!;
        return {
          signature,
          slot: landed.slot,
          err: landed.err,
          memo: null,
          blockTime: landed.blockTime,
          confirmationStatus: "finalized",
        };
      });
  }

  private getTransaction(params: unknown[]) {
    const signature = stringParam(params, 0, "the signature");
    const config = configOf(params, 1);
    checkCommitment(config);
    if (config.commitment === "processed") {
      throw invalidParams("Method does not support commitment below `confirmed`");
    }
    const encoding = config.encoding ?? "json";
    if (encoding !== "json" && encoding !== "base64") {
      throw invalidParams(`this endpoint serves encodings json and base64 only`);
    }
    const landed = this.executed.get(signature);
    if (!landed) return null;
    const tx = getTransactionDecoder().decode(landed.wire);
    const message = getCompiledTransactionMessageDecoder().decode(tx.messageBytes);
    if (message.version === 1) {
      throw new RpcError(-32015, "Transaction version (1) is not supported by this endpoint");
    }
    const version = message.version;
    if (version !== "legacy" && config.maxSupportedTransactionVersion === undefined) {
      throw new RpcError(
        -32015,
        `Transaction version (${version}) is not supported by the requesting client. Please try ` +
          'the request again with the following configuration parameter: "maxSupportedTransactionVersion": 0',
      );
    }
    const fee = LAMPORTS_PER_SIGNATURE * message.header.numSignerAccounts;
    return {
      slot: landed.slot,
      blockTime: landed.blockTime,
      version,
      transaction:
        encoding === "base64"
          ? [getBase64Decoder().decode(landed.wire), "base64"]
          : this.jsonTransaction(tx, message, version),
      meta: {
        err: landed.err,
        status: landed.err === null ? { Ok: null } : { Err: landed.err },
        fee,
        preBalances: landed.preBalances,
        postBalances: landed.postBalances,
        innerInstructions: [],
        logMessages: landed.logs,
        preTokenBalances: [],
        postTokenBalances: [],
        rewards: [],
        loadedAddresses: { writable: [], readonly: [] },
        computeUnitsConsumed: landed.unitsConsumed,
      },
    };
  }

  /** A transaction in getTransaction's `json` encoding. */
  private jsonTransaction(
    tx: Transaction,
    message: Exclude<
      ReturnType<ReturnType<typeof getCompiledTransactionMessageDecoder>["decode"]>,
      { version: 1 }
    >,
    version: unknown,
  ) {
    const base58 = getBase58Decoder();
    const signers = message.header.numSignerAccounts;
    return {
      signatures: Object.values(tx.signatures).map((s) => base58.decode(s!)),
      message: {
        accountKeys: message.staticAccounts,
        header: {
          numRequiredSignatures: signers,
          numReadonlySignedAccounts: message.header.numReadonlySignerAccounts,
          numReadonlyUnsignedAccounts: message.header.numReadonlyNonSignerAccounts,
        },
        recentBlockhash: message.lifetimeToken,
        instructions: message.instructions.map((i) => ({
          programIdIndex: i.programAddressIndex,
          accounts: i.accountIndices ?? [],
          data: base58.decode(i.data ?? new Uint8Array()),
          stackHeight: null,
        })),
        ...(version === "legacy" ? {} : { addressTableLookups: [] }),
      },
    };
  }

  private getAccountInfo(params: unknown[]) {
    const address = stringParam(params, 0, "the address");
    if (!isAddress(address)) throw invalidParams("Invalid param: Invalid");
    const config = configOf(params, 1);
    checkCommitment(config);
    const encoding = config.encoding ?? "base58";
    const account = this.svm.getAccount(address as Address);
    if (!account.exists) return { context: this.context(), value: null };
    let data: [string, string];
    if (encoding === "base64") data = [getBase64Decoder().decode(account.data), "base64"];
    else if (encoding === "base58") {
      if (account.data.length > 128) {
        throw invalidParams(
          "Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.",
        );
      }
      data = [getBase58Decoder().decode(account.data), "base58"];
    } else throw invalidParams(`this endpoint serves encodings base64 and base58 only`);
    return {
      context: this.context(),
      value: {
        data,
        executable: account.executable,
        lamports: BigInt(account.lamports),
        owner: account.programAddress,
        rentEpoch: U64_MAX,
        space: BigInt(account.data.length),
      },
    };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.cluster.close();
  }
}
