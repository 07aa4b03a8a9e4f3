// A holder's own transactions on a Herald NFT, signed by the holder (not Herald), as a wallet
// builds them: a TransferChecked to another owner's associated token account (created if
// needed), and a BurnChecked. The watcher tests send them to the cluster.
import type { Address, KeyPairSigner } from "@solana/kit";
import {
  findAssociatedTokenPda,
  getBurnCheckedInstruction,
  getCreateAssociatedTokenIdempotentInstruction,
  getTransferCheckedInstruction,
  TOKEN_2022_PROGRAM_ADDRESS,
} from "@solana-program/token-2022";
import { buildTx } from "../../src/chain/solana/build-tx.js";
import type { RecentBlockhash } from "../../src/chain/solana/ledger/ledger.js";

export async function tokenAccountOf(owner: string, mint: string): Promise<Address> {
  const [ata] = await findAssociatedTokenPda({
    owner: owner as Address,
    mint: mint as Address,
    tokenProgram: TOKEN_2022_PROGRAM_ADDRESS,
  });
  return ata;
}

export async function holderTransfer(
  holder: KeyPairSigner,
  mint: string,
  to: string,
  lifetime: RecentBlockhash,
) {
  const destination = await tokenAccountOf(to, mint);
  return await buildTx(
    holder,
    [
      getCreateAssociatedTokenIdempotentInstruction({
        payer: holder,
        ata: destination,
        owner: to as Address,
        mint: mint as Address,
        tokenProgram: TOKEN_2022_PROGRAM_ADDRESS,
      }),
      getTransferCheckedInstruction({
        source: await tokenAccountOf(holder.address, mint),
        mint: mint as Address,
        destination,
        authority: holder,
        amount: 1n,
        decimals: 0,
      }),
    ],
    lifetime,
    0n,
  );
}

export async function holderBurn(holder: KeyPairSigner, mint: string, lifetime: RecentBlockhash) {
  return await buildTx(
    holder,
    [
      getBurnCheckedInstruction({
        account: await tokenAccountOf(holder.address, mint),
        mint: mint as Address,
        authority: holder,
        amount: 1n,
        decimals: 0,
      }),
    ],
    lifetime,
    0n,
  );
}
