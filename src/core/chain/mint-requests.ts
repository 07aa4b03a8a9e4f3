// A mint request checked before anything is stored or sent: its recipient on the collection's
// chain, its metadata in any of Crossmint's forms, its idempotency key. Pure; a batch is
// checked whole, each item's problem named with its index, so it is accepted all or none.
import { customIdProblem } from "../policy/custom-ids.js";
import { validateMetadataInput } from "../policy/nft-metadata.js";
import type { Recipient } from "./chain-types.js";
import { parseRecipient, type RecipientChains } from "./recipients.js";

export interface MintInput {
  recipient: string;
  metadata: unknown;
  /** The caller's id: the mint's idempotency key. */
  key?: string;
}

export interface CheckedMint {
  input: MintInput;
  recipient: Recipient;
  metadata: Record<string, unknown>;
  /** Metadata published elsewhere: the token URI; null: Herald serves the metadata. */
  tokenUri: string | null;
  key: string | null;
}

/** Crossmint's batch validation error: which item, its id, what is wrong. */
export interface MintProblem {
  index: number;
  id?: string;
  message: string;
}

/** One mint into a collection on `chain`, or what is wrong with it. */
export function checkMint(
  input: MintInput,
  chain: string,
  chains: RecipientChains,
): CheckedMint | { problem: string } {
  if (input.key !== undefined) {
    const problem = customIdProblem(input.key, "nft id");
    if (problem) return { problem };
  }
  const parsed = parseRecipient(input.recipient, chains);
  if (!parsed.ok) return { problem: `recipient: ${parsed.message}` };
  if (parsed.recipient.chain !== chain) {
    return {
      problem: `recipient: the collection is on ${chain}, the recipient on ${parsed.recipient.chain}`,
    };
  }
  const metadata = validateMetadataInput(input.metadata);
  if (!metadata.ok) return { problem: metadata.message };
  return {
    input,
    recipient: parsed.recipient,
    ...metadata.metadata,
    key: input.key ?? null,
  };
}

/** Every mint of a batch, or the problems of all that are wrong (a key used twice among them). */
export function checkBatch(
  inputs: readonly MintInput[],
  chain: string,
  chains: RecipientChains,
): { ok: true; mints: CheckedMint[] } | { ok: false; problems: MintProblem[] } {
  const mints: CheckedMint[] = [];
  const problems: MintProblem[] = [];
  const keys = new Set<string>();
  inputs.forEach((input, index) => {
    const id = input.key !== undefined ? { id: input.key } : {};
    if (input.key !== undefined && keys.has(input.key)) {
      problems.push({ index, ...id, message: "the id is used by another nft of this batch" });
      return;
    }
    if (input.key !== undefined) keys.add(input.key);
    const checked = checkMint(input, chain, chains);
    if ("problem" in checked) problems.push({ index, ...id, message: checked.problem });
    else mints.push(checked);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, mints };
}
