import assert from "node:assert/strict";
import { describe } from "node:test";
import type { Collection, Nft, Wallet } from "../../src/core/chain/chain-types.js";
import { createNft, newCollection } from "./chain-records.js";
import { T0, type Fixture, type StoreTest } from "./store-fixtures.js";

// What Crossmint's wallet API reads: an owner's custodial wallets, and the NFTs a wallet holds.

const HOLDER = "0x00000000000000000000000000000000000000A1";
const STRANGER = "0x00000000000000000000000000000000000000B2";

/** A collection deployed at `contractAddress` on `chain`. */
async function deployedCollection(
  fx: Fixture,
  projectId: string,
  chain: string,
  contractAddress: string,
): Promise<Collection> {
  const { collection } = await newCollection(fx, projectId, { chain });
  const deployed = { status: "deployed", contractAddress } as const;
  await fx.store.updateCollection(projectId, collection.id, deployed, T0 + 1);
  return { ...collection, ...deployed, updatedAt: T0 + 1 };
}

/** An NFT of `collection` owned by `owner`, created at `at`; minted as token `tokenId` unless
 * `status` says otherwise. Returns the record as the store keeps it. */
async function nftOf(
  fx: Fixture,
  collection: Collection,
  owner: string,
  at: number,
  tokenId: string,
  status: Nft["status"] = "minted",
): Promise<Nft> {
  const { nft } = await createNft(fx, collection, {
    recipient: `${collection.chain}:${owner}`,
    owner,
    metadata: { name: `Token ${tokenId}` },
    createdAt: at,
    updatedAt: at,
  });
  if (status === "pending") return nft;
  const patch = status === "failed" ? { status } : { status, tokenId, txId: `0x${tokenId}` };
  await fx.store.updateNft(collection.projectId, collection.id, nft.id, patch, at + 1);
  return { ...nft, ...patch, updatedAt: at + 1 };
}

const page = (offset: number, limit: number) => ({ offset, limit });
const tokenIds = (held: Array<{ nft: Nft }>) => held.map((h) => h.nft.tokenId);

export function walletsContract(storeTest: StoreTest): void {
  describe("wallet reads", () => {
    storeTest("listWallets: an owner's wallets in the project, by chain name", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { project: other } = await fx.project();
      const wallet = (projectId: string, email: string, chain: string, address: string) => ({
        projectId,
        email,
        chain,
        address,
        createdAt: T0,
      });
      const records: Wallet[] = [
        wallet(project.id, "ada@example.com", "polygon", "0xa1"),
        wallet(project.id, "ada@example.com", "base-sepolia", "0xa1"),
        wallet(project.id, "ada@example.com", "local", "0xa1"),
        wallet(project.id, "userId:ada@example.com", "local", "0xa2"),
        wallet(project.id, "bob@example.com", "local", "0xb0"),
        wallet(other.id, "ada@example.com", "local", "0xc0"),
      ];
      for (const w of records) {
        await store.ensureWallet(w, [fx.event(w.projectId, "wallets.create.succeeded")]);
      }

      const ada = await store.listWallets(project.id, "ada@example.com");
      assert.deepEqual(ada, [records[1], records[2], records[0]], "base-sepolia, local, polygon");
      assert.deepEqual(await store.listWallets(project.id, "userId:ada@example.com"), [records[3]]);
      assert.deepEqual(await store.listWallets(other.id, "ada@example.com"), [records[5]]);
      assert.deepEqual(await store.listWallets(project.id, "ADA@example.com"), [], "keys exact");
      assert.deepEqual(await store.listWallets(project.id, "nobody@example.com"), []);
    });

    storeTest(
      "listWalletNfts: minted tokens the address owns on the chain, newest first",
      async (fx) => {
        const { project } = await fx.project();
        const local = await deployedCollection(fx, project.id, "local", "0xC0FFEE01");
        const local2 = await deployedCollection(fx, project.id, "local", "0xC0FFEE02");
        const base = await deployedCollection(fx, project.id, "base", "0xBA5E0001");
        const first = await nftOf(fx, local, HOLDER, T0 + 10, "1");
        const second = await nftOf(fx, local2, HOLDER, T0 + 20, "1");
        const third = await nftOf(fx, local, HOLDER, T0 + 30, "2");
        await nftOf(fx, base, HOLDER, T0 + 40, "1"); // the same address on another chain
        await nftOf(fx, local, STRANGER, T0 + 50, "3");
        await nftOf(fx, local, HOLDER, T0 + 60, "-", "pending");
        await nftOf(fx, local, HOLDER, T0 + 70, "-", "failed");
        await nftOf(fx, local, HOLDER, T0 + 80, "4", "burned");

        const held = await fx.store.listWalletNfts(project.id, "local", HOLDER, page(0, 10));
        assert.deepEqual(held, [
          { nft: third, contractAddress: "0xC0FFEE01" },
          { nft: second, contractAddress: "0xC0FFEE02" },
          { nft: first, contractAddress: "0xC0FFEE01" },
        ]);
        const onBase = await fx.store.listWalletNfts(project.id, "base", HOLDER, page(0, 10));
        assert.deepEqual(
          onBase.map((h) => [h.nft.tokenId, h.contractAddress]),
          [["1", "0xBA5E0001"]],
        );
        assert.deepEqual(
          await fx.store.listWalletNfts(project.id, "polygon", HOLDER, page(0, 10)),
          [],
        );
      },
    );

    storeTest("listWalletNfts pages by offset and limit", async (fx) => {
      const { project } = await fx.project();
      const collection = await deployedCollection(fx, project.id, "local", "0xC0FFEE01");
      for (let i = 1; i <= 5; i++) await nftOf(fx, collection, HOLDER, T0 + i, String(i));
      const list = (offset: number, limit: number) =>
        fx.store.listWalletNfts(project.id, "local", HOLDER, page(offset, limit));
      assert.deepEqual(tokenIds(await list(0, 2)), ["5", "4"]);
      assert.deepEqual(tokenIds(await list(2, 2)), ["3", "2"]);
      assert.deepEqual(tokenIds(await list(4, 2)), ["1"]);
      assert.deepEqual(tokenIds(await list(6, 2)), []);
      assert.deepEqual(tokenIds(await list(0, 100)), ["5", "4", "3", "2", "1"]);
    });

    storeTest(
      "listWalletNfts follows the owner: a token moved away leaves the list",
      async (fx) => {
        const { store } = fx;
        const { project } = await fx.project();
        const collection = await deployedCollection(fx, project.id, "local", "0xC0FFEE01");
        const moved = await nftOf(fx, collection, HOLDER, T0 + 1, "1");
        const kept = await nftOf(fx, collection, HOLDER, T0 + 2, "2");
        await store.updateNft(project.id, collection.id, moved.id, { owner: STRANGER }, T0 + 3);

        const holder = await store.listWalletNfts(project.id, "local", HOLDER, page(0, 10));
        assert.deepEqual(tokenIds(holder), [kept.tokenId]);
        const stranger = await store.listWalletNfts(project.id, "local", STRANGER, page(0, 10));
        assert.deepEqual(stranger, [
          {
            nft: { ...moved, owner: STRANGER, updatedAt: T0 + 3 },
            contractAddress: "0xC0FFEE01",
          },
        ]);
      },
    );

    storeTest("listWalletNfts is scoped by project", async (fx) => {
      const { project } = await fx.project();
      const { project: other } = await fx.project();
      const mine = await deployedCollection(fx, project.id, "local", "0xC0FFEE01");
      const theirs = await deployedCollection(fx, other.id, "local", "0xC0FFEE02");
      await nftOf(fx, mine, HOLDER, T0 + 1, "1");
      await nftOf(fx, theirs, HOLDER, T0 + 2, "1");
      const list = (projectId: string) =>
        fx.store.listWalletNfts(projectId, "local", HOLDER, page(0, 10));
      assert.deepEqual(
        (await list(project.id)).map((h) => h.contractAddress),
        ["0xC0FFEE01"],
      );
      assert.deepEqual(
        (await list(other.id)).map((h) => h.contractAddress),
        ["0xC0FFEE02"],
      );
      const { project: empty } = await fx.project();
      assert.deepEqual(await list(empty.id), []);
    });
  });
}
