// The embedded Solana cluster across a crash: Herald as a child process on `solana`, 100 mints
// at once, SIGKILLed while mints are in flight, started again on the same data dir. The journal
// brings back every account; the pending mints resume; nothing is minted twice (the collection's
// group counts every member ever added, and it counts exactly the NFTs asked for).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Address } from "@solana/kit";
import { decodeMint, type Mint } from "@solana-program/token-2022";
import { openEmbeddedSolana } from "../../src/chain/solana/ledger/embedded-ledger.js";
import {
  printingOutputOnFailure,
  startChildHerald,
  type ChildHerald,
} from "../helpers/child-herald.js";
import { apiClient, type ApiClient } from "../helpers/herald.js";
import {
  assertWebhooks,
  createCollection,
  waitSucceeded,
  type MintRef,
} from "../helpers/minting.js";
import { Receiver } from "../helpers/receiver.js";

const API_KEY = "hk_solana_restart_key_0123456789";
const env = {
  HERALD_API_KEY: API_KEY,
  HERALD_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8",
  HERALD_LOG_LEVEL: "warn",
};
const ADDRESS = "solana:EjLpq6RAxzPuwjcwJ2C6ZjwrFZuqhu2CiVTDzkSSCE5B";

/** `n` mints sent at once, to an address and to emails by turns. */
async function mintConcurrently(api: ApiClient, collectionId: string, prefix: string, n: number) {
  return Promise.all(
    Array.from({ length: n }, async (_, i): Promise<MintRef> => {
      const recipient = i % 2 === 0 ? ADDRESS : `email:user${i % 7}@example.com:solana`;
      const res = await api("POST", `/collections/${collectionId}/nfts`, {
        recipient,
        metadata: { name: `${prefix} #${i + 1}`, image: "https://example.com/i.png" },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return { collectionId, id: res.body.id, actionId: res.body.actionId };
    }),
  );
}

function extensionsOf(mint: { data: Mint }) {
  return mint.data.extensions.__option === "Some" ? mint.data.extensions.value : [];
}

test(
  "100 mints at once, SIGKILL mid-stream on the embedded Solana cluster: every mint lands once",
  { timeout: 300_000 },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "herald-solana-restart-"));
    const receiver = await Receiver.start();
    const children: ChildHerald[] = [];
    try {
      await printingOutputOnFailure(
        () => children,
        async () => {
          const first = await startChildHerald({ dataDir, env });
          children.push(first);
          let api = apiClient(first.url, API_KEY);
          await api("POST", "/webhooks/endpoints", {
            url: receiver.url,
            eventTypes: ["nfts.create.succeeded"],
          });
          const collection = await createCollection(api, "solana", "Survivor");
          await waitSucceeded(api, [collection.actionId], 60_000);
          const before = await mintConcurrently(api, collection.id, "Before", 100);
          await waitSucceeded(
            api,
            before.map((m) => m.actionId),
            120_000,
          );
          // Accepted, then the kill: some landed, some signed and recorded, some still queued.
          const inFlight = await mintConcurrently(api, collection.id, "In flight", 40);
          await first.kill("SIGKILL");

          const second = await startChildHerald({ dataDir, env });
          children.push(second);
          api = apiClient(second.url, API_KEY);
          let pending = 0;
          for (const m of inFlight) {
            if ((await api("GET", `/actions/${m.actionId}`)).body.status === "pending") pending++;
          }
          console.log(`# mints still pending just after the restart: ${pending} of 40`);
          await waitSucceeded(
            api,
            inFlight.map((m) => m.actionId),
            120_000,
          );
          const all = [...before, ...inFlight];
          const mints = new Set<string>();
          for (const nft of all) {
            const res = await api("GET", `/collections/${nft.collectionId}/nfts/${nft.id}`);
            assert.equal(res.body.onChain.status, "success", JSON.stringify(res.body));
            mints.add(res.body.onChain.mintHash);
          }
          assert.equal(mints.size, all.length, "140 distinct mints");
          const duplicates = await assertWebhooks(
            receiver,
            all.map((m) => m.actionId),
          );
          // At least once: a delivery in flight at the kill may arrive twice, the same event.
          console.log(`# nfts.create.succeeded delivered again after the kill: ${duplicates}`);
          const group = (await api("GET", `/collections/${collection.id}`)).body.onChain
            .mintAddress as string;
          await second.kill("SIGTERM");

          // The journal, replayed here, is the cluster Herald left: every mint once.
          const journal = join(dataDir, "chains", "solana.solana-journal");
          const header = JSON.parse(readFileSync(journal, "utf8").split("\n")[0]!);
          const replayed = openEmbeddedSolana(journal, header.payer as Address);
          const groupMint = decodeMint(replayed.svm.getAccount(group as Address) as never);
          const tokenGroup = extensionsOf(groupMint).find((e) => e.__kind === "TokenGroup") as
            { size: bigint } | undefined;
          assert.equal(tokenGroup?.size, 140n, "the group has exactly 140 members");
          for (const mint of mints) {
            const account = replayed.svm.getAccount(mint as Address);
            assert.ok(account.exists, `mint ${mint} is on chain`);
            assert.equal(decodeMint(account as never).data.supply, 1n);
          }
          await replayed.close();
        },
      );
    } finally {
      for (const child of children) await child.kill("SIGKILL");
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
