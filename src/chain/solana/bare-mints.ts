// The embedded Solana runtime's own mint rate, for the benchmark to read Herald's Solana mints
// against: the same instructions Herald sends (a collection, then NFT mints into it), built,
// signed and sent straight to a journal-less runtime in this process: no API, no store, no
// journal, no webhook.
import type { Address } from "@solana/kit";
import { buildTx } from "./build-tx.js";
import { tokenAccountOf } from "./jobs.js";
import { newSeed, signerOfSeed } from "./keys.js";
import { openEmbeddedSolana } from "./ledger/embedded-ledger.js";
import { createCollection, mintNft } from "./token/instructions.js";
import { UNLIMITED_GROUP } from "./token/layout.js";

/** Mints/s of `count` NFT mints, `concurrency` being built at once (sent as each is ready). */
export async function measureBareSolanaMints(count: number, concurrency: number): Promise<number> {
  const payer = await signerOfSeed(newSeed());
  const ledger = openEmbeddedSolana(null, payer.address);
  try {
    const lifetime = await ledger.latestBlockhash();
    const group = await signerOfSeed(newSeed());
    const metadata = { name: "Bare", symbol: "BARE", uri: "" };
    const collection = createCollection(payer, group, metadata, UNLIMITED_GROUP);
    await ledger.send((await buildTx(payer, collection, lifetime, 0n)).wire);
    const owner = (await signerOfSeed(newSeed())).address as Address;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count) }, async () => {
        for (let i = next++; i < count; i = next++) {
          const mint = await signerOfSeed(newSeed());
          const account = await tokenAccountOf(owner, mint.address);
          const nft = { name: `bare #${i}`, symbol: "BARE", uri: `https://example.com/${i}` };
          const instructions = mintNft(payer, mint, group.address, owner, account, nft);
          const { wire, signature } = await buildTx(payer, instructions, lifetime, 0n);
          await ledger.send(wire);
          const [status] = await ledger.statuses([signature]);
          if (!status || status.err !== null) throw new Error(`bare mint ${i} failed`);
        }
      }),
    );
    return count / ((performance.now() - started) / 1000);
  } finally {
    await ledger.close();
  }
}
