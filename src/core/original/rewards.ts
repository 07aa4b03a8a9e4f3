// Original's rewards: a reward is an ERC-20 rewards contract Herald deploys (HeraldRewards, its
// pool minted at deployment). Allocations move tokens from the pool to a user's custodial
// wallet, once per nonce; a claim moves a user's tokens to an address of theirs; a withdraw
// closes the reward and sends the rest of the pool to its withdraw receiver. Each is a chain
// job with its action (their state); the chain decides (an allocation beyond the pool fails
// there and is recorded failed, never lost), and its success publishes the `reward.*` event.
import type { ChainRegistry } from "../chain/chains.js";
import type { NewChainJob, ChainInfo } from "../chain/chain-types.js";
import type { WalletService } from "../chain/wallets.js";
import { HeraldError } from "../errors.js";
import type { OriginalReward, RewardOperation } from "../interfaces.js";
import type { PageRequest, Store } from "../ports/store.js";
import { parseAmount } from "../policy/token-amounts.js";
import { newId } from "../runtime/ids.js";
import type { Signals } from "../runtime/signals.js";
import { pendingAction } from "../webhooks/actions.js";
import { fieldError, type OriginalUserService } from "./users.js";
import { jobContext, NO_REQUEST, type RequestContext } from "../ports/request-context.js";

export interface NewRewardInput {
  name: string;
  token_name: string;
  token_symbol: string;
  description?: string | null;
  /** A configured EVM chain; the first configured by default (Original's chain). */
  chain?: string | null;
  withdraw_receiver: string;
  /** Tokens minted into the pool (decimal string or number). */
  initial_supply: string | number;
}

export interface AllocationInput {
  reward_uid: string;
  to_user_uid: string;
  amount: string | number;
  nonce: string;
}

export interface ClaimInput {
  reward_uid: string;
  from_user_uid: string;
  to_address: string;
  /** Herald's addition: claim part of the balance (Original claims it all). */
  amount?: string | number | null;
}

/** The most operations a list answers (Original's lists have no pages). */
export const MAX_LISTED_OPERATIONS = 1000;

const NOT_FOUND: Record<RewardOperation["kind"], string> = {
  allocation: "Allocation not found.",
  claim: "Claim not found.",
  withdraw: "Withdraw not found.",
};

/** Every operation of a user in a reward: its balance counts them all. */
const WHOLE_LEDGER = Number.MAX_SAFE_INTEGER;

function units(input: unknown, field: string): bigint {
  const parsed = parseAmount(input);
  if (!parsed.ok) throw fieldError(field, `Enter a valid amount: ${parsed.message}.`);
  return parsed.units;
}

export class OriginalRewardService {
  constructor(
    private readonly store: Store,
    private readonly users: OriginalUserService,
    private readonly wallets: WalletService,
    private readonly chains: ChainRegistry,
    private readonly signals: Signals,
    /** Herald's base URL: `resource` links point at Original's API under it. */
    private readonly baseUrl: () => string,
    /** The request's trace and fee ceiling, kept with the chain jobs it queues. */
    private readonly request: RequestContext = NO_REQUEST,
    private readonly now: () => number = Date.now,
  ) {}

  /** A URL of Original's API on this Herald (`/reward/<uid>`, …). */
  url(path: string): string {
    return `${this.baseUrl()}/original/v1${path}`;
  }

  /** Deploys the reward's contract with its pool; the reward's uid at once. */
  async create(projectId: string, input: NewRewardInput): Promise<OriginalReward> {
    const chain = this.chainOf(input.chain);
    const receiver = this.chains.parseAddress(chain.name, input.withdraw_receiver.trim());
    if (!receiver.ok)
      throw fieldError("withdraw_receiver", `Enter a valid address: ${receiver.message}`);
    const supply = units(input.initial_supply, "initial_supply");
    const now = this.now();
    const id = newId();
    const action = pendingAction(
      projectId,
      "rewards.deploy",
      { chain: chain.name, reward: { id } },
      this.url(`/reward/${id}`),
      now,
    );
    const reward: OriginalReward = {
      id,
      projectId,
      chain: chain.name,
      name: input.name,
      tokenName: input.token_name,
      tokenSymbol: input.token_symbol,
      description: input.description ?? "",
      withdrawReceiver: receiver.address,
      initialSupply: supply.toString(),
      status: "deploying",
      contractAddress: null,
      actionId: action.id,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.createOriginalReward(reward, action, {
      ...this.jobBase(reward, action.id, now),
      kind: "rewardDeploy",
      nftId: null,
      payload: {
        name: reward.tokenName,
        symbol: reward.tokenSymbol,
        withdrawReceiver: reward.withdrawReceiver,
        initialSupply: reward.initialSupply,
      },
    });
    this.signals.chainJobsQueued();
    return reward;
  }

  private chainOf(name: string | null | undefined): ChainInfo {
    if (name === null || name === undefined || name.trim() === "") return this.users.chain();
    const wanted = name.trim().toLowerCase();
    const chain = this.chains.all().find((info) => info.name.toLowerCase() === wanted);
    if (!chain)
      throw fieldError("chain", `Chain "${name}" is not configured here (HERALD_CHAINS).`);
    if (chain.family !== "evm")
      throw fieldError("chain", `Rewards run on EVM chains; "${chain.name}" is ${chain.family}.`);
    return chain;
  }

  async get(projectId: string, uid: string): Promise<OriginalReward> {
    const reward = await this.store.getOriginalReward(projectId, uid);
    if (!reward) throw new HeraldError("not_found", "Reward not found.");
    return reward;
  }

  list(projectId: string, page: PageRequest) {
    return this.store.listOriginalRewards(projectId, page);
  }

  /** The reward's withdraw, unless it failed: once asked, the reward takes nothing more. */
  async withdrawOf(reward: OriginalReward): Promise<RewardOperation | null> {
    const [latest] = await this.store.listRewardOperations(
      reward.projectId,
      { kind: "withdraw", rewardId: reward.id },
      1,
    );
    return latest && latest.status !== "failed" ? latest : null;
  }

  /** A reward that can take an allocation, claim or withdraw now. */
  private async open(projectId: string, uid: string): Promise<OriginalReward> {
    const reward = await this.get(projectId, uid);
    if (reward.status === "failed")
      throw fieldError("reward_uid", "The reward's contract failed to deploy.", "client_error");
    if (await this.withdrawOf(reward))
      throw fieldError("reward_uid", "The reward is withdrawn and closed.", "client_error");
    return reward;
  }

  /**
   * Allocates `amount` to the user's wallet; the allocation (`created: false`: the one this
   * nonce already made: a repeat is a no-op).
   */
  async allocate(
    projectId: string,
    input: AllocationInput,
  ): Promise<{ created: boolean; operation: RewardOperation }> {
    const reward = await this.open(projectId, input.reward_uid);
    const user = await this.users.get(projectId, input.to_user_uid);
    const amount = units(input.amount, "amount");
    const { wallet } = await this.wallets.ensure(projectId, { userId: user.id }, reward.chain);
    const result = await this.queue(reward, {
      kind: "allocation",
      userUid: user.id,
      address: wallet.address,
      amount: amount.toString(),
      nonce: input.nonce,
    });
    const made = result.operation;
    if (!result.created && (made.userUid !== user.id || made.amount !== amount.toString()))
      throw fieldError(
        "nonce",
        "This nonce was used by another allocation (another user or amount).",
        "client_error",
      );
    return result;
  }

  /** What the user holds of the reward: its allocations done, less its claims not failed. */
  async balance(projectId: string, rewardUid: string, userUid: string): Promise<bigint> {
    const reward = await this.get(projectId, rewardUid);
    const user = await this.users.get(projectId, userUid);
    const ledger = async (kind: "allocation" | "claim") =>
      this.store.listRewardOperations(
        projectId,
        { kind, rewardId: reward.id, userUid: user.id },
        WHOLE_LEDGER,
      );
    const [allocations, claims] = await Promise.all([ledger("allocation"), ledger("claim")]);
    const sum = (ops: RewardOperation[]) => ops.reduce((t, op) => t + BigInt(op.amount ?? 0), 0n);
    return (
      sum(allocations.filter((op) => op.status === "succeeded")) -
      sum(claims.filter((op) => op.status !== "failed"))
    );
  }

  /** Sends the user's balance (or `amount` of it) to `to_address`; the claim. */
  async claim(projectId: string, input: ClaimInput): Promise<RewardOperation> {
    const reward = await this.open(projectId, input.reward_uid);
    const user = await this.users.get(projectId, input.from_user_uid);
    const to = this.chains.parseAddress(reward.chain, input.to_address.trim());
    if (!to.ok) throw fieldError("to_address", `Enter a valid address: ${to.message}`);
    const balance = await this.balance(projectId, reward.id, user.id);
    const amount = input.amount == null ? balance : units(input.amount, "amount");
    if (balance <= 0n)
      throw fieldError("from_user_uid", "The user has no rewards to claim.", "client_error");
    if (amount > balance)
      throw fieldError("amount", "The amount is more than the user's balance.", "client_error");
    const from = this.wallets.addressOf(projectId, { userId: user.id }, reward.chain);
    const { operation } = await this.queue(reward, {
      kind: "claim",
      userUid: user.id,
      address: to.address,
      amount: amount.toString(),
      nonce: null,
      from,
    });
    return operation;
  }

  /** Closes the reward and sends the rest of its pool to its withdraw receiver. */
  async withdraw(projectId: string, rewardUid: string): Promise<RewardOperation> {
    const reward = await this.open(projectId, rewardUid);
    if (reward.status !== "deployed")
      throw fieldError("reward_uid", "The reward's contract is not deployed yet.", "client_error");
    const { operation } = await this.queue(reward, {
      kind: "withdraw",
      userUid: null,
      address: reward.withdrawReceiver,
      amount: null,
      nonce: null,
    });
    return operation;
  }

  async operation(projectId: string, kind: RewardOperation["kind"], uid: string) {
    const operation = await this.store.getRewardOperation(projectId, kind, uid);
    if (!operation) throw new HeraldError("not_found", NOT_FOUND[kind]);
    return operation;
  }

  /** A user's operations of one kind (in one reward, or all), newest first. */
  operationsOf(
    projectId: string,
    kind: RewardOperation["kind"],
    by: { userUid?: string; rewardId?: string },
  ) {
    return this.store.listRewardOperations(projectId, { kind, ...by }, MAX_LISTED_OPERATIONS);
  }

  /** The operation, its action and its chain job, in one transaction. */
  private async queue(
    reward: OriginalReward,
    op: Pick<RewardOperation, "kind" | "userUid" | "address" | "amount" | "nonce"> & {
      from?: string;
    },
  ): Promise<{ created: boolean; operation: RewardOperation }> {
    const now = this.now();
    const id = newId();
    const kinds = { allocation: "allocate", claim: "claim", withdraw: "withdraw" } as const;
    const action = pendingAction(
      reward.projectId,
      `rewards.${kinds[op.kind]}`,
      { chain: reward.chain, reward: { id: reward.id }, operation: { id, kind: op.kind } },
      this.url(`/reward/${op.kind === "allocation" ? "allocate" : op.kind}/${id}`),
      now,
    );
    const base = { ...this.jobBase(reward, action.id, now), nftId: id };
    const job: NewChainJob =
      op.kind === "allocation"
        ? {
            ...base,
            kind: "allocate",
            payload: { to: op.address, amount: op.amount!, nonce: op.nonce! },
          }
        : op.kind === "claim"
          ? {
              ...base,
              kind: "claim",
              payload: { from: op.from!, to: op.address, amount: op.amount! },
            }
          : { ...base, kind: "withdraw", payload: {} };
    const { kind, userUid, address, amount, nonce } = op;
    const result = await this.store.createRewardOperation(
      {
        id,
        projectId: reward.projectId,
        rewardId: reward.id,
        kind,
        userUid,
        address,
        amount,
        nonce,
        actionId: action.id,
        createdAt: now,
      },
      action,
      job,
    );
    if (result.created) this.signals.chainJobsQueued();
    return result;
  }

  private jobBase(reward: OriginalReward, actionId: string, now: number) {
    return {
      id: newId(),
      projectId: reward.projectId,
      chain: reward.chain,
      collectionId: reward.id,
      actionId,
      runAt: now,
      createdAt: now,
      ...jobContext(this.request),
    };
  }
}
