// One signer's transactions on one chain: local nonces, persisted raw transactions, receipts to
// a confirmation depth, fee-bumped replacement of what is not mined in time, rebroadcast of
// what a node forgot, and resumption after a restart without sending anything twice.
//
// Invariants:
// - A nonce is taken by at most one job. Every raw transaction of a record has the record's
//   nonce, so at most one of them is ever mined: replacing or rebroadcasting cannot double-send.
// - `onRecord` sees every raw transaction before any node does, so a crash can lose nothing
//   that a node has: `resume` rebroadcasts what the node does not know.
// - Nonce gaps: a `send` that fails before its broadcast (the gas estimate reverts, signing or
//   `onRecord` throws, the node refuses the transaction) does NOT consume its nonce; the next
//   `send` takes it. So there is never a gap to fill. (A broadcast that got no answer at all —
//   timeout, connection lost — does consume it: the node may have it, and `waitForOutcome`
//   rebroadcasts the stored raw if not.)
import { setTimeout as sleep } from "node:timers/promises";
import { keccak256, parseTransaction } from "viem";
import type { Account, Address, Hex } from "viem";
import { broadcastRaw } from "./broadcast.js";
import type { Broadcast } from "./broadcast.js";
import { TxNonceConsumedError, TxRejectedError, errorText, estimateError } from "./errors.js";
import { bumpFee, capFees } from "./types.js";
import { lowerCeiling } from "../../../core/policy/fee-ceiling.js";
import type { TxManagerOptions, TxOutcome, TxRecord, TxRequest } from "./types.js";
import { OutcomeWatch } from "./watch.js";

export { TxNonceConsumedError, TxRejectedError } from "./errors.js";
export type { BroadcastFailure } from "./broadcast.js";
export * from "./types.js";

interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}
interface Unsigned extends Fees {
  to?: Address;
  data: Hex;
  gas: bigint;
  value: bigint;
}

export class TxManager {
  readonly address: Address;
  private readonly account: Account;
  private nextNonce: number | undefined;
  /** Nonces at or above `nextNonce` that resumed records hold: `send` skips them. */
  private readonly reserved = new Set<number>();
  private tail: Promise<unknown> = Promise.resolve();
  private readonly closing = new AbortController();
  private readonly watch: OutcomeWatch;

  constructor(private readonly options: TxManagerOptions) {
    const account = options.walletClient.account;
    if (!account) throw new Error("TxManager needs a wallet client with an account");
    if (!Number.isInteger(options.confirmations) || options.confirmations < 1) {
      throw new Error(`confirmations must be an integer >= 1, got ${options.confirmations}`);
    }
    this.account = account;
    this.address = account.address;
    this.watch = new OutcomeWatch(
      this.options.publicClient,
      this.address,
      options.pollIntervalMs,
      options.blockReceipts,
    );
  }

  /** Transactions sent and not known to be mined: the nonces from the last mined count read
   * (while outcomes are awaited) up to the next one to assign. */
  get pendingCount(): number {
    if (this.nextNonce === undefined) return 0;
    return Math.max(0, this.nextNonce - (this.watch.minedCount ?? this.nextNonce));
  }

  /** Assigns the next nonce locally (serialised), signs, calls onRecord, broadcasts. */
  async send(key: string, request: TxRequest): Promise<TxRecord> {
    this.assertOpen();
    const { publicClient } = this.options;
    // Outside the queue: concurrent sends estimate in parallel. A revert here throws viem's
    // contract error (`describeRevert` reads it) and no nonce is taken.
    const [gas, fees] = await Promise.all([
      request.gas ??
        publicClient
          .estimateGas({
            account: this.address,
            to: request.to,
            data: request.data,
            value: request.value,
          })
          .then(
            (estimate) => (estimate * 120n + 99n) / 100n,
            (error: unknown) => {
              throw estimateError(error, request, this.address);
            },
          ),
      this.estimateFees(),
    ]);
    const tx: Unsigned = {
      to: request.to,
      data: request.data,
      value: request.value ?? 0n,
      gas,
      ...capFees(fees, lowerCeiling(this.options.maxFeePerGasCeiling, request.maxFeePerGas)),
    };
    return this.enqueue(() => this.sendInQueue(key, tx, request.maxFeePerGas));
  }

  private async sendInQueue(
    key: string,
    tx: Unsigned,
    ceiling: bigint | undefined,
    attempt = 0,
  ): Promise<TxRecord> {
    this.assertOpen();
    if (this.nextNonce === undefined) {
      this.nextNonce = await this.nonceCount("pending");
      this.watch.minedCount ??= this.nextNonce;
    }
    let nonce = this.nextNonce;
    while (this.reserved.has(nonce)) nonce += 1;
    const raw = await this.sign(tx, nonce);
    const record: TxRecord = {
      from: this.address,
      nonce,
      raw: [raw],
      hashes: [keccak256(raw)],
      maxFeePerGas: tx.maxFeePerGas,
      maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
      sentAt: Date.now(),
      ...(ceiling === undefined ? {} : { maxFeePerGasCeiling: ceiling }),
    };
    await this.options.onRecord?.(key, record);
    const sent = await broadcastRaw(this.options.publicClient, raw);
    if (sent.kind === "unanswered") {
      // The node may have it: count it as sent; waitForOutcome rebroadcasts if it does not.
      this.options.log?.warn(
        { key, nonce, error: errorText(sent.error) },
        "tx broadcast unanswered",
      );
    } else if (sent.kind === "nonce-too-low" && (await this.watch.isKnown(record.hashes))) {
      // A retried request had delivered it after all: it is ours, and sent.
    } else if (sent.kind === "nonce-too-low") {
      // Someone else used the key: start again from the node's count.
      this.nextNonce = Math.max(await this.nonceCount("pending"), nonce + 1);
      if (attempt < 2) return this.sendInQueue(key, tx, ceiling, attempt + 1);
      throw new TxRejectedError(key, record, sent.kind, { cause: sent.error });
    } else if (sent.error !== undefined) {
      throw new TxRejectedError(key, record, sent.kind, { cause: sent.error });
    }
    for (let skipped = this.nextNonce; skipped < nonce; skipped += 1) this.reserved.delete(skipped);
    this.nextNonce = nonce + 1;
    return record;
  }

  /** Resolves once one of the record's hashes is mined and `confirmations` deep; replaces on
   * timeout; rebroadcasts the newest raw if the node forgot them. Updates `record` in place
   * (after `onRecord` accepted the change). Call it again after a reorg. */
  async waitForOutcome(key: string, record: TxRecord, signal?: AbortSignal): Promise<TxOutcome> {
    const stop = signal ? AbortSignal.any([signal, this.closing.signal]) : this.closing.signal;
    const state = this.watch.start(key, record);
    for (;;) {
      stop.throwIfAborted();
      const step = await this.watch
        .step(state, this.options.confirmations)
        .catch((error: unknown) => {
          if (error instanceof TxNonceConsumedError) throw error;
          this.options.log?.warn(
            { key, nonce: record.nonce, error: errorText(error) },
            "tx poll failed",
          );
          return undefined;
        });
      if (step?.outcome) return step.outcome;
      const late = Date.now() - record.sentAt >= this.options.replaceAfterMs;
      try {
        if (step?.missing) await this.rebroadcastNewest(key, record);
        else if (step?.pending && late) await this.replace(key, record);
      } catch (error) {
        const fields = { key, nonce: record.nonce, error: errorText(error) };
        this.options.log?.warn(fields, "tx rebroadcast or replacement failed; will retry");
      }
      stop.throwIfAborted();
      await sleep(this.options.pollIntervalMs, undefined, { signal: stop }).catch(() => undefined);
    }
  }

  /** After a restart, before any `send`: rebroadcasts each stored newest raw the node does not
   * know (never signs anything), then sets the local nonce past what is taken. A record the
   * node refuses (the process died between persisting it and hearing the refusal) was never
   * sent: its key is returned, to be sent again, and its nonce is given to the next `send`
   * (skipping the nonces of records the node holds). Then call `waitForOutcome` for each
   * record not returned. */
  resume(records: Array<{ key: string; record: TxRecord }>): Promise<{ refused: string[] }> {
    this.assertOpen();
    return this.enqueue(async () => {
      const [mined, pending] = await Promise.all([
        this.nonceCount("latest"),
        this.nonceCount("pending"),
      ]);
      this.watch.minedCount ??= mined;
      const sorted = [...records].sort((a, b) => a.record.nonce - b.record.nonce);
      let rebroadcast = 0;
      const refused: TxRecord[] = [];
      const refusedKeys: string[] = [];
      const held: number[] = [];
      for (const { key, record } of sorted) {
        if (record.nonce < mined) continue; // mined: waitForOutcome finds out by which hash
        if (!(await this.watch.isKnown(record.hashes))) {
          const sent = await this.rebroadcastNewest(key, record);
          rebroadcast += 1;
          if (sent.kind === "rejected") {
            refused.push(record);
            refusedKeys.push(key);
            continue;
          }
        }
        held.push(record.nonce);
      }
      const lowestRefused = refused.length ? refused[0].nonce : Infinity;
      const highest = held.length ? held[held.length - 1] + 1 : 0;
      this.nextNonce = Math.min(
        Math.max(pending, highest, this.nextNonce ?? 0),
        Math.max(lowestRefused, mined),
      );
      for (const nonce of held) if (nonce >= this.nextNonce) this.reserved.add(nonce);
      this.options.log?.info(
        {
          records: records.length,
          rebroadcast,
          refused: refused.length,
          nextNonce: this.nextNonce,
        },
        "tx manager resumed",
      );
      return { refused: refusedKeys };
    });
  }

  /** The next nonce this manager would assign (undefined: it has sent nothing yet). */
  get nextNonceToAssign(): number | undefined {
    return this.nextNonce;
  }

  /**
   * The operator's way out of a stuck nonce: a zero-value transfer to the signer itself at
   * `nonce`, offering more than whatever waits there (`previous`, +15 %, and at least the
   * current estimate +15 %), broadcast now. Whatever it replaces is never mined; the job that
   * waited on it ends as "nonce used by another transaction". The fee ceiling does not apply:
   * the operator asked for it. Returns the cancelling transaction's hash.
   */
  async cancel(nonce: number, previous?: Fees): Promise<Hex> {
    this.assertOpen();
    const estimate = await this.readFees();
    const fees: Fees = {
      maxFeePerGas: bumpFee(previous?.maxFeePerGas ?? 0n, estimate.maxFeePerGas),
      maxPriorityFeePerGas: bumpFee(
        previous?.maxPriorityFeePerGas ?? 0n,
        estimate.maxPriorityFeePerGas,
      ),
    };
    const raw = await this.sign(
      { to: this.address, data: "0x", value: 0n, gas: 21_000n, ...fees },
      nonce,
    );
    const sent = await broadcastRaw(this.options.publicClient, raw);
    if (sent.error !== undefined) {
      throw new Error(`the node refused the cancellation (${sent.kind}): ${errorText(sent.error)}`);
    }
    this.options.log?.warn({ nonce, hash: keccak256(raw) }, "nonce cancelled by the operator");
    return keccak256(raw);
  }

  /** The outcome's depth now; 0 once its block is no longer on the chain (a reorg). */
  confirmationsOf(outcome: TxOutcome): Promise<number> {
    return this.watch.confirmationsOf(outcome);
  }

  /** Rejects pending `waitForOutcome` calls and later `send`s. Sends already broadcast stay so. */
  close(): void {
    this.closing.abort(new Error("TxManager closed"));
  }

  private async replace(key: string, record: TxRecord): Promise<void> {
    const previous = parseTransaction(record.raw[record.raw.length - 1]);
    const estimate = await this.estimateFees();
    const fees: Fees = {
      maxFeePerGas: bumpFee(record.maxFeePerGas, estimate.maxFeePerGas),
      maxPriorityFeePerGas: bumpFee(record.maxPriorityFeePerGas, estimate.maxPriorityFeePerGas),
    };
    // The chain's ceiling, or the request's where it is lower: the record keeps the latter.
    const ceiling = lowerCeiling(this.options.maxFeePerGasCeiling, record.maxFeePerGasCeiling);
    if (ceiling !== undefined && fees.maxFeePerGas > ceiling) {
      this.options.log?.warn(
        { key, nonce: record.nonce, wanted: fees.maxFeePerGas, ceiling },
        "tx replacement over fee ceiling; still waiting",
      );
      record.sentAt = Date.now(); // try again after another replaceAfterMs
      return;
    }
    const tx: Unsigned = {
      to: previous.to ?? undefined,
      data: previous.data ?? "0x",
      value: previous.value ?? 0n,
      gas: previous.gas ?? 0n,
      ...fees,
    };
    const raw = await this.sign(tx, record.nonce);
    const next: TxRecord = {
      ...record,
      ...fees,
      raw: [...record.raw, raw],
      hashes: [...record.hashes, keccak256(raw)],
      sentAt: Date.now(),
    };
    try {
      await this.options.onRecord?.(key, next);
    } catch (error) {
      this.options.log?.warn(
        { key, nonce: record.nonce, error: errorText(error) },
        "tx replacement not persisted; not sent",
      );
      record.sentAt = Date.now();
      return;
    }
    Object.assign(record, next);
    this.report(
      key,
      record,
      await broadcastRaw(this.options.publicClient, raw),
      "tx not mined in time: replaced",
    );
  }

  private async rebroadcastNewest(key: string, record: TxRecord): Promise<Broadcast> {
    const sent = await broadcastRaw(this.options.publicClient, record.raw[record.raw.length - 1]);
    this.report(key, record, sent, "tx unknown to the node: rebroadcast");
    return sent;
  }

  /** A refusal here is not fatal: the next polls see what became of the nonce. */
  private report(key: string, record: TxRecord, sent: Broadcast, message: string): void {
    const { nonce, hashes, maxFeePerGas } = record;
    const fields = { key, nonce, hash: hashes[hashes.length - 1], maxFeePerGas };
    if (sent.error === undefined || sent.kind === "nonce-too-low")
      this.options.log?.info(fields, message);
    else this.options.log?.warn({ ...fields, error: errorText(sent.error) }, message);
  }

  private async sign(tx: Unsigned, nonce: number): Promise<Hex> {
    const { chain, walletClient } = this.options;
    const request = { type: "eip1559", chainId: chain.id, nonce, ...tx } as const;
    if (this.account.signTransaction) {
      return this.account.signTransaction(request, { serializer: chain.serializers?.transaction });
    }
    return walletClient.signTransaction({ ...request, account: this.account, chain });
  }

  private estimateFees(): Promise<Fees> {
    const cache = this.options.feeCache;
    if (!cache) return this.readFees();
    const now = performance.now();
    if (cache.value && cache.at !== undefined && now - cache.at < cache.ttlMs) return cache.value;
    const value = this.readFees();
    cache.value = value;
    cache.at = now;
    // A failed read is not served to the next send.
    value.catch(() => {
      if (cache.value === value) cache.value = undefined;
    });
    return value;
  }

  private readFees(): Promise<Fees> {
    return this.options.publicClient.estimateFeesPerGas({
      chain: this.options.chain,
      type: "eip1559",
    });
  }

  private nonceCount(blockTag: "latest" | "pending"): Promise<number> {
    return this.options.publicClient.getTransactionCount({ address: this.address, blockTag });
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private assertOpen(): void {
    if (this.closing.signal.aborted) throw new Error("TxManager closed");
  }
}
