// One signed Solana transaction: the job's instructions behind its priority fee, under a recent
// blockhash, signed by every signer its instructions name (the fee payer, a new mint).
import {
  appendTransactionMessageInstructions,
  createTransactionMessage,
  getBase58Decoder,
  getTransactionEncoder,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Blockhash,
  type Instruction,
  type TransactionSigner,
} from "@solana/kit";
import type { RecentBlockhash } from "./ledger/ledger.js";
import { setComputeUnitLimit, setComputeUnitPrice } from "./programs.js";

export interface SignedTx {
  /** The fee payer's signature, base58: the transaction's id. */
  signature: string;
  wire: Uint8Array;
}

/** Compute units a job's transaction may use: an NFT mint takes about 40,000. */
export const COMPUTE_UNIT_LIMIT = 200_000;

export async function buildTx(
  payer: TransactionSigner,
  instructions: readonly Instruction[],
  lifetime: RecentBlockhash,
  /** Priority fee, micro-lamports per compute unit (0: none). */
  price: bigint,
): Promise<SignedTx> {
  const budget =
    price > 0n ? [setComputeUnitLimit(COMPUTE_UNIT_LIMIT), setComputeUnitPrice(price)] : [];
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        {
          blockhash: lifetime.blockhash as Blockhash,
          lastValidBlockHeight: lifetime.lastValidBlockHeight,
        },
        m,
      ),
    (m) => appendTransactionMessageInstructions([...budget, ...instructions], m),
  );
  const signed = await signTransactionMessageWithSigners(message);
  const wire = Uint8Array.from(getTransactionEncoder().encode(signed));
  const signature = getBase58Decoder().decode(signed.signatures[payer.address]!);
  return { signature, wire };
}

/** The program each instruction calls, in order (for naming the one that failed). */
export function programsOf(instructions: readonly Instruction[], price: bigint): string[] {
  const budget = price > 0n ? 2 : 0;
  return [
    ...Array.from({ length: budget }, () => "ComputeBudget111111111111111111111111111111"),
    ...instructions.map((i) => i.programAddress),
  ];
}
