// Token-2022 moves in a transaction, read from its instructions: transfers and burns, with the
// token accounts they touch (the watcher resolves mints and owners from those). Pure.
import { getCompiledTransactionMessageDecoder, getTransactionDecoder } from "@solana/kit";
import { TOKEN_2022_PROGRAM_ADDRESS } from "@solana-program/token-2022";

export interface TokenMove {
  kind: "transfer" | "burn";
  /** The instruction's index in its transaction. */
  index: number;
  /** The token account the token leaves. */
  source: string;
  /** A transfer's token account the token goes to. */
  destination?: string;
  /** The mint, where the instruction names it (all but the plain Transfer). */
  mint?: string;
}

// Token instruction discriminators (the first data byte).
const TRANSFER = 3;
const BURN = 8;
const TRANSFER_CHECKED = 12;
const BURN_CHECKED = 15;

/** The fee payer and the Token-2022 moves of a wire transaction. */
export function tokenMoves(wire: Uint8Array): { feePayer: string; moves: TokenMove[] } {
  const tx = getTransactionDecoder().decode(wire);
  // Herald and wallets send legacy and v0 messages; both list instructions the same way.
  const message = getCompiledTransactionMessageDecoder().decode(tx.messageBytes) as unknown as {
    staticAccounts: string[];
    instructions?: Array<{
      programAddressIndex: number;
      accountIndices?: number[];
      data?: Uint8Array;
    }>;
  };
  const accounts = message.staticAccounts;
  const moves: TokenMove[] = [];
  (message.instructions ?? []).forEach((ix, index) => {
    if (accounts[ix.programAddressIndex] !== TOKEN_2022_PROGRAM_ADDRESS) return;
    const at = (i: number) => {
      const k = ix.accountIndices?.[i];
      return k === undefined ? undefined : accounts[k];
    };
    const kind = ix.data?.[0];
    if (kind === TRANSFER) {
      moves.push({ kind: "transfer", index, source: at(0)!, destination: at(1)! });
    } else if (kind === TRANSFER_CHECKED) {
      moves.push({ kind: "transfer", index, source: at(0)!, mint: at(1)!, destination: at(2)! });
    } else if (kind === BURN || kind === BURN_CHECKED) {
      moves.push({ kind: "burn", index, source: at(0)!, mint: at(1)! });
    }
  });
  return { feePayer: accounts[0]!, moves };
}
