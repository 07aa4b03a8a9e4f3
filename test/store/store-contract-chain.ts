import assert from "node:assert/strict";
import { describe } from "node:test";
import type { ChainJob, Collection, Nft, Wallet } from "../../src/core/chain/chain-types.js";
import { newId } from "../../src/core/runtime/ids.js";
import type { Action } from "../../src/core/interfaces.js";
import type { ChainJobFinish, NewChainJob } from "../../src/core/ports/chain-store.js";
import type { Store } from "../../src/core/ports/store.js";
import { CHAIN, collectionRecord, createNft, jobRecord, newCollection } from "./chain-records.js";
import { ids, T0, type Fixture, type StoreTest } from "./store-fixtures.js";

// The ChainStore half of the Store: what the chain module keeps. Records are built in
// chain-records.ts with explicit times relative to T0, like the other contract files.

const OTHER_CHAIN = "sepolia";

/** A new job as the store gives it back. */
function queued(job: NewChainJob): ChainJob {
  return { ...job, status: "queued", txRecord: null, minedBlock: null, updatedAt: job.createdAt };
}

async function openJob(store: Store, id: string, chain = CHAIN): Promise<ChainJob | undefined> {
  return (await store.listOpenChainJobs(chain, 1000)).find((job) => job.id === id);
}

export function chainContract(storeTest: StoreTest): void {
  describe("chain accounts", () => {
    storeTest("saveChainAccount keeps the first account of a chain", async (fx) => {
      const { store } = fx;
      assert.equal(await store.getChainAccount(CHAIN), null);
      const first = { chain: CHAIN, address: "0xa1", privateKeyEnc: "enc:first" };
      assert.deepEqual(await store.saveChainAccount(first, T0), first);
      const second = { chain: CHAIN, address: "0xb2", privateKeyEnc: "enc:second" };
      assert.deepEqual(await store.saveChainAccount(second, T0 + 1), first, "the first one counts");
      assert.deepEqual(await store.getChainAccount(CHAIN), first);

      const other = { chain: OTHER_CHAIN, address: "0xc3", privateKeyEnc: "enc:other" };
      assert.deepEqual(await store.saveChainAccount(other, T0 + 2), other);
      assert.deepEqual(await store.getChainAccount(OTHER_CHAIN), other);
      assert.deepEqual(await store.getChainAccount(CHAIN), first);
    });
  });

  describe("collections", () => {
    storeTest("createCollection stores it with its pending action and deploy job", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { project: other } = await fx.project();
      const { collection, action, job } = await newCollection(fx, project.id, {
        supplyLimit: 100,
        transferable: false,
        custody: false,
        fungibility: "semi-fungible",
      });

      assert.deepEqual(await store.getCollection(project.id, collection.id), collection);
      assert.equal(await store.getCollection(other.id, collection.id), null);
      assert.equal(await store.getCollection(project.id, "no-such-collection"), null);
      assert.deepEqual(await store.getAction(project.id, action.id), action);
      assert.deepEqual(await store.listOpenChainJobs(CHAIN, 10), [queued(job)]);
    });

    storeTest("createCollection of a known id returns it and queues nothing", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { collection } = await newCollection(fx, project.id);

      const again = collectionRecord(project.id, {
        id: collection.id,
        metadata: { name: "Other" },
        createdAt: T0 + 5,
      });
      const action = fx.action(project.id, { id: again.actionId, action: "collections.create" });
      const job = jobRecord(project.id, "deploy", again.id, action.id);
      assert.deepEqual(await store.createCollection(again, action, job), {
        created: false,
        collection,
      });
      assert.equal(await store.getAction(project.id, action.id), null, "no second action");
      assert.equal((await store.listOpenChainJobs(CHAIN, 10)).length, 1, "no second job");

      // The same id in another project is another collection.
      const { project: theirs } = await fx.project();
      await newCollection(fx, theirs.id, { id: collection.id });
      assert.equal((await store.listOpenChainJobs(CHAIN, 10)).length, 2);
    });

    storeTest("listCollections pages in id (byte) order, only the project's", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { project: other } = await fx.project();
      await newCollection(fx, other.id, { id: "c-0" });
      // Byte order: upper case before lower case, '-' before '_', "c-10" before "c-2".
      const created = ["c-3", "c_1", "C-1", "c-10", "c-2"];
      for (const id of created) await newCollection(fx, project.id, { id });

      const pages: string[][] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await store.listCollections(project.id, { cursor, limit: 2 });
        pages.push(ids(page.data));
        assert.ok(page.data.every((c) => c.projectId === project.id));
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
        assert.ok(pages.length < 10, "pagination terminates");
      }
      assert.deepEqual(pages, [["C-1", "c-10"], ["c-2", "c-3"], ["c_1"]]);
    });

    storeTest("updateCollection patches the given fields and keeps the others", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { collection } = await newCollection(fx, project.id, { supplyLimit: 5 });

      await store.updateCollection(
        project.id,
        collection.id,
        { status: "deployed", contractAddress: "0xc011ec7" },
        T0 + 10,
      );
      const deployed = {
        ...collection,
        status: "deployed" as const,
        contractAddress: "0xc011ec7",
        updatedAt: T0 + 10,
      };
      assert.deepEqual(await store.getCollection(project.id, collection.id), deployed);

      await store.updateCollection(
        project.id,
        collection.id,
        { supplyLimit: null, metadata: { name: "Renamed" } },
        T0 + 20,
      );
      assert.deepEqual(await store.getCollection(project.id, collection.id), {
        ...deployed,
        supplyLimit: null,
        metadata: { name: "Renamed" },
        updatedAt: T0 + 20,
      });

      const { project: other } = await fx.project();
      await store.updateCollection(other.id, collection.id, { status: "failed" }, T0 + 30);
      await store.updateCollection(project.id, "no-such-collection", { status: "failed" }, T0 + 30);
      assert.equal((await store.getCollection(project.id, collection.id))?.status, "deployed");
      assert.equal(await store.getCollection(other.id, collection.id), null);
    });
  });

  describe("NFTs", () => {
    storeTest(
      "createNft stores it with its action and mint job; a known id returns it",
      async (fx) => {
        const { store } = fx;
        const { project } = await fx.project();
        const { collection, job: deploy } = await newCollection(fx, project.id);
        const { nft, action, job, result } = await createNft(fx, collection, {
          recipient: "email:ada@example.com:local",
          email: "ada@example.com",
        });
        assert.deepEqual(result, { created: true, nft });
        assert.deepEqual(await store.getNft(project.id, collection.id, nft.id), nft);
        assert.deepEqual(await store.getAction(project.id, action.id), action);
        assert.deepEqual(await store.listOpenChainJobs(CHAIN, 10), [queued(deploy), queued(job)]);

        const again = await createNft(fx, collection, { id: nft.id, owner: "0xdifferent" });
        assert.deepEqual(again.result, { created: false, nft });
        assert.equal(await store.getAction(project.id, again.action.id), null);
        assert.equal((await store.listOpenChainJobs(CHAIN, 10)).length, 2);

        const { project: other } = await fx.project();
        assert.equal(await store.getNft(other.id, collection.id, nft.id), null);
        assert.equal(await store.getNft(project.id, "no-such-collection", nft.id), null);
        assert.equal(await store.getNft(project.id, collection.id, "no-such-nft"), null);
      },
    );

    storeTest(
      "createNft's supplyLimit: failed NFTs free a place, burned ones do not",
      async (fx) => {
        const { store } = fx;
        const { project } = await fx.project();
        const { collection } = await newCollection(fx, project.id, { supplyLimit: 2 });
        const first = await createNft(fx, collection, {}, 2);
        const second = await createNft(fx, collection, {}, 2);
        assert.equal((first.result as { created: boolean }).created, true);
        assert.equal((second.result as { created: boolean }).created, true);

        const third = await createNft(fx, collection, {}, 2);
        assert.deepEqual(third.result, { limitReached: true });
        assert.equal(await store.getNft(project.id, collection.id, third.nft.id), null);
        assert.equal(await store.getAction(project.id, third.action.id), null, "nothing written");
        assert.equal((await store.listOpenChainJobs(CHAIN, 10)).length, 3, "deploy and two mints");

        const known = await createNft(fx, collection, { id: first.nft.id }, 2);
        assert.deepEqual(known.result, { created: false, nft: first.nft }, "a known id is no mint");

        await store.updateNft(
          project.id,
          collection.id,
          first.nft.id,
          { status: "failed" },
          T0 + 1,
        );
        const retry = await createNft(fx, collection, {}, 2);
        assert.equal((retry.result as { created: boolean }).created, true, "a failed one frees");

        await store.updateNft(
          project.id,
          collection.id,
          second.nft.id,
          { status: "burned" },
          T0 + 2,
        );
        const afterBurn = await createNft(fx, collection, {}, 2);
        assert.deepEqual(afterBurn.result, { limitReached: true }, "a burned one still counts");

        for (const noLimit of [null, 0]) {
          const unlimited = await createNft(fx, collection, {}, noLimit);
          assert.equal(
            (unlimited.result as { created: boolean }).created,
            true,
            `limit ${noLimit}`,
          );
        }
      },
    );

    storeTest("listNfts pages in id order within one collection", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { collection } = await newCollection(fx, project.id);
      const { collection: neighbour } = await newCollection(fx, project.id);
      await createNft(fx, neighbour, { id: "n-0" });
      const created = new Map<string, Nft>();
      for (const id of ["n-3", "n-1", "n-2"])
        created.set(id, (await createNft(fx, collection, { id })).nft);

      const first = await store.listNfts(project.id, collection.id, { limit: 2 });
      assert.deepEqual(first, {
        data: [created.get("n-1"), created.get("n-2")],
        nextCursor: "n-2",
      });
      const rest = await store.listNfts(project.id, collection.id, { cursor: "n-2", limit: 2 });
      assert.deepEqual(rest, { data: [created.get("n-3")], nextCursor: null });
      const { project: other } = await fx.project();
      assert.deepEqual(await store.listNfts(other.id, collection.id, { limit: 10 }), {
        data: [],
        nextCursor: null,
      });
    });

    storeTest("updateNft patches the given fields; getNftByTokenId finds it", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { collection } = await newCollection(fx, project.id);
      const { collection: neighbour } = await newCollection(fx, project.id);
      const { nft } = await createNft(fx, collection);
      assert.equal(await store.getNftByTokenId(project.id, collection.id, "7"), null);

      await store.updateNft(
        project.id,
        collection.id,
        nft.id,
        { status: "minted", tokenId: "7", txId: "0x7x" },
        T0 + 9,
      );
      const minted: Nft = {
        ...nft,
        status: "minted",
        tokenId: "7",
        txId: "0x7x",
        updatedAt: T0 + 9,
      };
      assert.deepEqual(await store.getNft(project.id, collection.id, nft.id), minted);
      assert.deepEqual(await store.getNftByTokenId(project.id, collection.id, "7"), minted);
      assert.equal(await store.getNftByTokenId(project.id, collection.id, "8"), null);
      assert.equal(await store.getNftByTokenId(project.id, neighbour.id, "7"), null);

      await store.updateNft(
        project.id,
        collection.id,
        nft.id,
        { owner: "0xb0b", metadata: { name: "Edited" } },
        T0 + 10,
      );
      assert.deepEqual(await store.getNft(project.id, collection.id, nft.id), {
        ...minted,
        owner: "0xb0b",
        metadata: { name: "Edited" },
        updatedAt: T0 + 10,
      });
      const { project: other } = await fx.project();
      assert.equal(await store.getNftByTokenId(other.id, collection.id, "7"), null);
      await store.updateNft(other.id, collection.id, nft.id, { status: "burned" }, T0 + 11);
      assert.equal((await store.getNft(project.id, collection.id, nft.id))?.status, "minted");
    });
  });

  describe("wallets", () => {
    storeTest("ensureWallet records a wallet once and publishes its event with it", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const subscriber = await fx.endpoint(project.id, { eventTypes: ["wallets.*"] });
      await fx.endpoint(project.id, { eventTypes: ["nfts.*"] });
      const wallet: Wallet = {
        projectId: project.id,
        email: "ada@example.com",
        chain: CHAIN,
        address: "0x00000000000000000000000000000000000000ad",
        createdAt: T0,
      };
      assert.equal(await store.getWallet(project.id, wallet.email, CHAIN), null);
      const event = fx.event(project.id, "wallets.create.succeeded", { createdAt: T0 });
      const original = fx.event(project.id, "wallet.created", { createdAt: T0 });
      assert.deepEqual(await store.ensureWallet(wallet, [event, original]), {
        created: true,
        wallet,
      });
      assert.deepEqual(await store.getWallet(project.id, wallet.email, CHAIN), wallet);
      assert.deepEqual(await store.getEvent(project.id, event.id), event);
      assert.deepEqual(await store.getEvent(project.id, original.id), original, "both events");
      assert.equal((await fx.deliveryOf(event.id)).endpointId, subscriber.id);

      const again = { ...wallet, address: "0x00000000000000000000000000000000000000ff" };
      const second = fx.event(project.id, "wallets.create.succeeded", { createdAt: T0 + 1 });
      assert.deepEqual(await store.ensureWallet({ ...again, createdAt: T0 + 1 }, [second]), {
        created: false,
        wallet,
      });
      assert.equal(await store.getEvent(project.id, second.id), null, "no second event");
      assert.deepEqual(await store.getWallet(project.id, wallet.email, CHAIN), wallet);
    });

    storeTest("getWallet and findWalletByAddress are scoped by project and chain", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { project: other } = await fx.project();
      const address = "0x00000000000000000000000000000000000000ad";
      const wallet: Wallet = {
        projectId: project.id,
        email: "ada@example.com",
        chain: CHAIN,
        address,
        createdAt: T0,
      };
      const elsewhere: Wallet = { ...wallet, chain: OTHER_CHAIN, address: "0xe15e" };
      for (const w of [wallet, elsewhere]) {
        await store.ensureWallet(w, [fx.event(project.id, "wallets.create.succeeded")]);
      }

      assert.deepEqual(await store.findWalletByAddress(project.id, CHAIN, address), wallet);
      assert.equal(await store.findWalletByAddress(project.id, OTHER_CHAIN, address), null);
      assert.equal(await store.findWalletByAddress(other.id, CHAIN, address), null);
      assert.equal(await store.findWalletByAddress(project.id, CHAIN, "0xnobody"), null);
      assert.deepEqual(await store.getWallet(project.id, wallet.email, OTHER_CHAIN), elsewhere);
      assert.equal(await store.getWallet(other.id, wallet.email, CHAIN), null);
      assert.equal(await store.getWallet(project.id, "bob@example.com", CHAIN), null);
    });
  });

  describe("chain jobs", () => {
    storeTest("queueOperation stores a pending action and a queued job together", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { collection, job: deploy } = await newCollection(fx, project.id);
      const action: Action = fx.action(project.id, {
        action: "collections.update",
        data: { changes: ["supplyLimit"] },
        startedAt: T0 + 3,
      });
      const job = jobRecord(project.id, "setSupplyLimit", collection.id, action.id, {
        payload: { supplyLimit: 10 },
        createdAt: T0 + 3,
        runAt: T0 + 3,
      });
      await store.queueOperation(action, job);
      assert.deepEqual(await store.getAction(project.id, action.id), action);
      assert.deepEqual(await store.listOpenChainJobs(CHAIN, 10), [queued(deploy), queued(job)]);
    });

    storeTest("a job keeps the traceparent and the fee ceiling it was queued with", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { collection, job: deploy } = await newCollection(fx, project.id);
      const action = fx.action(project.id);
      const job = jobRecord(project.id, "setSupplyLimit", collection.id, action.id, {
        payload: { supplyLimit: 10 },
        traceParent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        // Wei, past 64 bits.
        maxFeePerGas: "999999999999999999999",
      });
      await store.queueOperation(action, job);
      const [first, second] = await store.listOpenChainJobs(CHAIN, 10);
      assert.equal(second?.maxFeePerGas, "999999999999999999999");
      assert.equal(first?.maxFeePerGas, undefined, "none given: the chain's alone");
      assert.deepEqual([first, second], [queued(deploy), queued(job)]);
    });

    storeTest(
      "listOpenChainJobs: unfinished ones oldest first, by status, up to limit",
      async (fx) => {
        const { store } = fx;
        const { project } = await fx.project();
        const { collection, job: deployJob } = await newCollection(fx, project.id, {
          status: "deployed",
        });
        const jobs: NewChainJob[] = [];
        for (let i = 0; i < 5; i++) {
          const action = fx.action(project.id);
          const job = jobRecord(project.id, "update", `${collection.id}/n-${i}`, action.id);
          await store.queueOperation(action, job);
          jobs.push(job);
        }
        const [, sent, done, confirmed, failed] = jobs.map((j) => j.id);
        await store.updateChainJob(sent!, { status: "sent" }, T0 + 1);
        await store.updateChainJob(done!, { status: "done" }, T0 + 1);
        await store.updateChainJob(confirmed!, { status: "confirmed" }, T0 + 1);
        await store.updateChainJob(failed!, { status: "failed" }, T0 + 1);
        const elsewhere = jobRecord(project.id, "deploy", "c-far", newId(), { chain: OTHER_CHAIN });
        await store.queueOperation(fx.action(project.id, { id: elsewhere.actionId }), elsewhere);

        const list = async (limit: number, status?: "queued" | "sent" | "confirmed") =>
          ids(await store.listOpenChainJobs(CHAIN, limit, status));
        const deploy = deployJob.id;
        assert.deepEqual(await list(10), [deploy, jobs[0]!.id, sent, confirmed]);
        assert.deepEqual(await list(2), [deploy, jobs[0]!.id]);
        assert.deepEqual(await list(10, "queued"), [deploy, jobs[0]!.id]);
        assert.deepEqual(await list(10, "sent"), [sent]);
        assert.deepEqual(await list(10, "confirmed"), [confirmed]);
        assert.deepEqual(ids(await store.listOpenChainJobs(OTHER_CHAIN, 10)), [elsewhere.id]);
      },
    );

    storeTest("updateChainJob with onlyIf: one claim of a queued job wins", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { job } = await newCollection(fx, project.id);
      const claim = (record: unknown) =>
        store.updateChainJob(
          job.id,
          { status: "sent", txRecord: record, onlyIf: "queued" },
          T0 + 1,
        );
      const [first, second] = await Promise.all([claim({ nonce: 1 }), claim({ nonce: 2 })]);
      assert.deepEqual([first, second].sort(), [false, true], "exactly one claim applies");
      const [open] = await store.listOpenChainJobs(CHAIN, 1, "sent");
      assert.deepEqual(open!.txRecord, first ? { nonce: 1 } : { nonce: 2 });
      assert.equal(await store.updateChainJob("no-such-job", { status: "done" }, T0 + 2), false);
      assert.equal(await store.updateChainJob(job.id, { status: "done" }, T0 + 2), true);
    });

    storeTest(
      "listSendableChainJobs holds back jobs of a collection being deployed",
      async (fx) => {
        const { store } = fx;
        const { project } = await fx.project();
        const { collection, job: deploy } = await newCollection(fx, project.id);
        const { job: mint } = await createNft(fx, collection);
        const orphan = jobRecord(project.id, "update", "no-such-collection/n-1", newId());
        await store.queueOperation(fx.action(project.id, { id: orphan.actionId }), orphan);
        const { collection: ready, job: readyDeploy } = await newCollection(fx, project.id, {
          status: "deployed",
        });
        const { job: readyMint } = await createNft(fx, ready);

        const sendable = async () => ids(await store.listSendableChainJobs(CHAIN, 10));
        assert.deepEqual(await sendable(), [deploy.id, orphan.id, readyDeploy.id, readyMint.id]);
        assert.deepEqual(ids(await store.listSendableChainJobs(CHAIN, 2)), [deploy.id, orphan.id]);
        assert.deepEqual(await store.listSendableChainJobs(OTHER_CHAIN, 10), []);

        await store.updateChainJob(deploy.id, { status: "sent" }, T0 + 1);
        await store.updateCollection(
          project.id,
          collection.id,
          { status: "deployed", contractAddress: "0xc0" },
          T0 + 2,
        );
        assert.deepEqual(await sendable(), [mint.id, orphan.id, readyDeploy.id, readyMint.id]);
        const [first] = await store.listSendableChainJobs(CHAIN, 1);
        assert.deepEqual(first, queued(mint), "whole jobs");

        // A job whose send failed for now waits until its runAt.
        await store.updateChainJob(mint.id, { runAt: T0 + 100 }, T0 + 3);
        const due = async (now: number) => ids(await store.listSendableChainJobs(CHAIN, 10, now));
        assert.deepEqual(await due(T0 + 99), [orphan.id, readyDeploy.id, readyMint.id]);
        assert.deepEqual(await due(T0 + 100), [mint.id, orphan.id, readyDeploy.id, readyMint.id]);
      },
    );

    storeTest("updateChainJob: undefined keeps, null clears; bigints survive", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { job } = await newCollection(fx, project.id);
      const txRecord = { hash: "0x01", nonce: 4, maxFeePerGas: 123_456_789_012_345_678_901n };

      await store.updateChainJob(job.id, { status: "sent", txRecord }, T0 + 1);
      const sent = { ...queued(job), status: "sent" as const, txRecord, updatedAt: T0 + 1 };
      assert.deepEqual(await openJob(store, job.id), sent);

      const minedBlock = { number: 12, hash: "0xb12" };
      await store.updateChainJob(job.id, { status: "confirmed", minedBlock }, T0 + 2);
      const confirmed = { ...sent, status: "confirmed" as const, minedBlock, updatedAt: T0 + 2 };
      assert.deepEqual(await openJob(store, job.id), confirmed, "txRecord kept");

      await store.updateChainJob(job.id, { runAt: T0 + 50 }, T0 + 3);
      const later = { ...confirmed, runAt: T0 + 50, updatedAt: T0 + 3 };
      assert.deepEqual(await openJob(store, job.id), later, "status and block kept");

      await store.updateChainJob(
        job.id,
        { status: "queued", txRecord: null, minedBlock: null },
        T0 + 4,
      );
      assert.deepEqual(await openJob(store, job.id), {
        ...later,
        status: "queued",
        txRecord: null,
        minedBlock: null,
        updatedAt: T0 + 4,
      });

      await store.updateChainJob(job.id, { status: "done" }, T0 + 5);
      assert.equal(await openJob(store, job.id), undefined, "done is not open");
      await store.updateChainJob("no-such-job", { status: "failed" }, T0 + 6);
    });

    storeTest("reopenChainJob: back to sent, its action back to pending", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { collection } = await newCollection(fx, project.id, { status: "deployed" });
      const { job, action } = await createNft(fx, collection);
      const txRecord = { hash: "0x0a", fee: 21_000n };
      await store.updateChainJob(
        job.id,
        { status: "confirmed", txRecord, minedBlock: { number: 30, hash: "0xb30" } },
        T0 + 1,
      );
      const data = { token: { id: "1" } };
      const completed = await store.completeAction(
        project.id,
        action.id,
        "succeeded",
        data,
        T0 + 2,
        (a) => fx.event(project.id, "nfts.create.succeeded", { actionId: a.id, createdAt: T0 + 2 }),
      );
      assert.ok(completed && completed !== "conflict");

      const confirmedJob = (await store.listOpenChainJobs(CHAIN, 10, "confirmed"))[0]!;
      // The announcement is built from the action as it was, and stored with the reopening.
      const seen: Action[] = [];
      const reopened = await store.reopenChainJob(confirmedJob, T0 + 3, (before) => {
        seen.push(before);
        return fx.event(project.id, "action.reorged", { actionId: before.id, createdAt: T0 + 3 });
      });
      assert.deepEqual(
        seen.map((a) => a.status),
        ["succeeded"],
      );
      const announced = await store.listEvents(
        project.id,
        { type: "action.reorged" },
        { limit: 10 },
      );
      assert.equal(announced.data.length, 1);
      assert.equal(announced.data[0]!.actionId, action.id);
      const pending: Action = { ...action, status: "pending", data, completedAt: null };
      assert.deepEqual(reopened, pending);
      assert.deepEqual(await store.getAction(project.id, action.id), pending);
      assert.deepEqual(await openJob(store, job.id), {
        ...queued(job),
        status: "sent",
        txRecord,
        minedBlock: null,
        updatedAt: T0 + 3,
      });
      assert.deepEqual(await store.listOpenChainJobs(CHAIN, 10, "confirmed"), []);
      // Reopened again while pending (a second reorg before it completed): nothing announced.
      await store.reopenChainJob(confirmedJob, T0 + 4, (before) =>
        fx.event(project.id, "action.reorged", { actionId: before.id, createdAt: T0 + 4 }),
      );
      const again = await store.listEvents(project.id, { type: "action.reorged" }, { limit: 10 });
      assert.equal(again.data.length, 1);
    });
  });

  describe("a chain job's outcome, one transaction", () => {
    /** A minted outcome of `job` as ChainResults writes it. */
    function mintedFinish(fx: Fixture, job: NewChainJob, fields: Partial<ChainJobFinish> = {}) {
      return {
        job: { ...queued(job), status: "sent" as const },
        nft: { status: "minted" as const, tokenId: "7", txId: "0x7a" },
        action: {
          status: "succeeded" as const,
          data: { token: { tokenId: "7" } },
          buildEvent: (a: Action) =>
            fx.event(job.projectId, "nfts.create.succeeded", { actionId: a.id, createdAt: T0 + 5 }),
        },
        status: "done" as const,
        minedBlock: null,
        at: T0 + 5,
        ...fields,
      } as ChainJobFinish;
    }

    storeTest(
      "finishChainJob: the NFT, the action and its event, and the job, together",
      async (fx) => {
        const { store } = fx;
        const { project } = await fx.project();
        await fx.endpoint(project.id);
        const { collection } = await newCollection(fx, project.id, { status: "deployed" });
        const { nft, job, action } = await createNft(fx, collection);
        const completed = await store.finishChainJob(mintedFinish(fx, job));
        const done: Action = {
          ...action,
          status: "succeeded",
          data: { token: { tokenId: "7" } },
          completedAt: T0 + 5,
        };
        assert.deepEqual(completed?.action, done);
        assert.equal(completed?.event?.deliveries, 1);
        assert.deepEqual(await store.getAction(project.id, action.id), done);
        assert.deepEqual(await store.getNft(project.id, collection.id, nft.id), {
          ...nft,
          status: "minted",
          tokenId: "7",
          txId: "0x7a",
          updatedAt: T0 + 5,
        });
        assert.equal(await openJob(store, job.id), undefined, "the job is done");
        const events = await store.listEvents(project.id, {}, { limit: 10 });
        assert.deepEqual(
          events.data.map((e) => e.actionId),
          [action.id],
        );

        // Run again (a crash before the caller heard back): the action is left as it was.
        assert.equal(await store.finishChainJob(mintedFinish(fx, job, { at: T0 + 6 })), null);
        assert.equal((await store.listEvents(project.id, {}, { limit: 10 })).data.length, 1);
      },
    );

    storeTest("finishChainJob is all or nothing", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { collection } = await newCollection(fx, project.id, { status: "deployed" });
      const { nft, job, action } = await createNft(fx, collection);
      const failing = mintedFinish(fx, job, {
        action: {
          status: "succeeded",
          data: {},
          buildEvent: () => {
            throw new Error("no event");
          },
        },
      });
      await assert.rejects(store.finishChainJob(failing), /no event/);
      assert.deepEqual(await store.getNft(project.id, collection.id, nft.id), nft);
      assert.deepEqual(await store.getAction(project.id, action.id), action);
      assert.deepEqual(await openJob(store, job.id), queued(job));
    });

    storeTest("reopenChainJob puts back what a confirmed mint changed", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { collection } = await newCollection(fx, project.id, { status: "deployed" });
      const { nft, job } = await createNft(fx, collection);
      const minedBlock = { number: 30, hash: "0xb30" };
      await store.finishChainJob(mintedFinish(fx, job, { status: "confirmed", minedBlock }));
      const confirmed = (await store.listOpenChainJobs(CHAIN, 10, "confirmed"))[0]!;
      assert.deepEqual(confirmed.minedBlock, minedBlock);
      await store.reopenChainJob(confirmed, T0 + 7);
      assert.deepEqual(await store.getNft(project.id, collection.id, nft.id), {
        ...nft,
        updatedAt: T0 + 7,
      });
      assert.equal((await openJob(store, job.id))?.status, "sent");
    });
  });

  describe("the chain watcher", () => {
    storeTest("recordObservedLogs publishes each log once and moves the cursor", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      await fx.endpoint(project.id, { eventTypes: ["asset.*"] });
      await fx.endpoint(project.id);
      const { collection } = await newCollection(fx, project.id, {
        status: "deployed",
        contractAddress: "0xc0",
      });
      const { nft } = await createNft(fx, collection, { status: "minted", tokenId: "1" });
      const nftRef = { projectId: project.id, collectionId: collection.id, id: nft.id };
      assert.equal(await store.getChainCursor(CHAIN), null);

      const transfer = fx.event(project.id, "asset.transferred", { createdAt: T0 + 1 });
      const edited = fx.event(project.id, "asset.edited", { createdAt: T0 + 1 });
      const first = [
        {
          txHash: "0xt1",
          position: 0,
          blockNumber: 10,
          event: transfer,
          nft: { ...nftRef, patch: { owner: "0xb0b" } },
        },
        { txHash: "0xt1", position: 1, blockNumber: 10, event: edited },
      ];
      assert.equal(
        await store.recordObservedLogs(CHAIN, { number: 10, hash: "0xb10" }, first, T0 + 1),
        4,
      );
      assert.deepEqual(await store.getChainCursor(CHAIN), { number: 10, hash: "0xb10" });
      assert.equal((await store.getNft(project.id, collection.id, nft.id))?.owner, "0xb0b");
      assert.equal((await store.listEventDeliveries(transfer.id)).length, 2);
      assert.equal((await store.listEventDeliveries(edited.id)).length, 2);

      // After a restart (or a reorg) the same logs come again, as new events, with a new one.
      const replayed = fx.event(project.id, "asset.transferred", { createdAt: T0 + 2 });
      const burned = fx.event(project.id, "asset.burned", { createdAt: T0 + 2 });
      const second = [
        {
          txHash: "0xt1",
          position: 0,
          blockNumber: 10,
          event: replayed,
          nft: { ...nftRef, patch: { owner: "0xeve" } },
        },
        {
          txHash: "0xt2",
          position: 0,
          blockNumber: 11,
          event: burned,
          nft: { ...nftRef, patch: { status: "burned" as const } },
        },
      ];
      assert.equal(
        await store.recordObservedLogs(CHAIN, { number: 11, hash: "0xb11" }, second, T0 + 2),
        2,
      );
      assert.equal(await store.getEvent(project.id, replayed.id), null, "published once");
      assert.equal((await store.getEvent(project.id, burned.id))?.type, "asset.burned");
      const after = await store.getNft(project.id, collection.id, nft.id);
      assert.deepEqual([after?.owner, after?.status], ["0xb0b", "burned"], "patched once");
      assert.deepEqual(await store.getChainCursor(CHAIN), { number: 11, hash: "0xb11" });
      const events = await store.listEvents(project.id, {}, { limit: 10 });
      assert.deepEqual(ids(events.data), [burned.id, edited.id, transfer.id]);

      // Nothing new: only the cursor moves. A log without an event still counts as seen.
      assert.equal(
        await store.recordObservedLogs(CHAIN, { number: 12, hash: "0xb12" }, second, T0 + 3),
        0,
      );
      const silent = [
        {
          txHash: "0xt3",
          position: 0,
          blockNumber: 12,
          event: null,
          nft: { ...nftRef, patch: { owner: "0xmallory" } },
        },
      ];
      assert.equal(
        await store.recordObservedLogs(CHAIN, { number: 12, hash: "0xb12" }, silent, T0 + 4),
        0,
      );
      assert.equal((await store.getNft(project.id, collection.id, nft.id))?.owner, "0xmallory");
      const silentAgain = [{ ...silent[0]!, nft: { ...nftRef, patch: { owner: "0xtrent" } } }];
      await store.recordObservedLogs(CHAIN, { number: 13, hash: "0xb13" }, silentAgain, T0 + 5);
      assert.equal((await store.getNft(project.id, collection.id, nft.id))?.owner, "0xmallory");
      assert.deepEqual(await store.getChainCursor(CHAIN), { number: 13, hash: "0xb13" });
      assert.equal(await store.getChainCursor(OTHER_CHAIN), null);

      // Another chain's log with the same transaction hash and position is another log.
      const echo = fx.event(project.id, "asset.transferred", { createdAt: T0 + 6 });
      const otherChain = [{ txHash: "0xt1", position: 0, blockNumber: 3, event: echo }];
      assert.equal(
        await store.recordObservedLogs(
          OTHER_CHAIN,
          { number: 3, hash: "0xo3" },
          otherChain,
          T0 + 6,
        ),
        2,
      );
      assert.deepEqual(await store.getChainCursor(OTHER_CHAIN), { number: 3, hash: "0xo3" });
    });

    storeTest(
      "a log a reorg removed: listed by block, forgotten once, announced once",
      async (fx) => {
        const { store } = fx;
        const { project } = await fx.project();
        await fx.endpoint(project.id);
        const { collection } = await newCollection(fx, project.id, {
          status: "deployed",
          contractAddress: "0xc1",
        });
        const { nft } = await createNft(fx, collection, { status: "minted", tokenId: "1" });
        const nftRef = { projectId: project.id, collectionId: collection.id, id: nft.id };
        const transfer = fx.event(project.id, "asset.transferred", { createdAt: T0 + 1 });
        const moved = {
          txHash: "0xr1",
          position: 0,
          blockNumber: 20,
          event: transfer,
          nft: { ...nftRef, patch: { owner: "0xb0b" } },
        };
        const silent = { txHash: "0xr2", position: 0, blockNumber: 21, event: null };
        await store.recordObservedLogs(
          CHAIN,
          { number: 21, hash: "0xb21" },
          [moved, silent],
          T0 + 1,
        );

        const listed = await store.listObservedLogs(CHAIN, 20, 21);
        assert.deepEqual(
          listed.map((l) => [l.txHash, l.position, l.blockNumber, l.event?.id ?? null]),
          [
            ["0xr1", 0, 20, transfer.id],
            ["0xr2", 0, 21, null],
          ],
        );
        assert.equal(listed[0]!.event?.type, "asset.transferred");
        assert.equal(listed[0]!.event?.projectId, project.id);
        assert.deepEqual(await store.listObservedLogs(CHAIN, 22, 40), []);
        assert.deepEqual(await store.listObservedLogs(OTHER_CHAIN, 0, 40), []);

        // Removed: forgotten, its change undone, its announcement published, with the cursor.
        const announced = fx.event(project.id, "asset.reorged", { createdAt: T0 + 2 });
        const undone = {
          undone: true,
          txHash: "0xr1",
          position: 0,
          blockNumber: 20,
          event: announced,
          nft: { ...nftRef, patch: { owner: "0xa11ce" } },
        };
        assert.equal(
          await store.recordObservedLogs(CHAIN, { number: 22, hash: "0xb22" }, [undone], T0 + 2),
          1,
        );
        assert.deepEqual(
          (await store.listObservedLogs(CHAIN, 20, 21)).map((l) => l.txHash),
          ["0xr2"],
        );
        assert.equal((await store.getNft(project.id, collection.id, nft.id))?.owner, "0xa11ce");
        assert.equal((await store.getEvent(project.id, announced.id))?.type, "asset.reorged");
        assert.deepEqual(await store.getChainCursor(CHAIN), { number: 22, hash: "0xb22" });

        // Removed again (another process was first): nothing happens.
        const again = {
          ...undone,
          event: fx.event(project.id, "asset.reorged", { createdAt: T0 + 3 }),
          nft: { ...nftRef, patch: { owner: "0xeve" } },
        };
        assert.equal(
          await store.recordObservedLogs(CHAIN, { number: 23, hash: "0xb23" }, [again], T0 + 3),
          0,
        );
        assert.equal(await store.getEvent(project.id, again.event.id), null);
        assert.equal((await store.getNft(project.id, collection.id, nft.id))?.owner, "0xa11ce");

        // It comes back on the surviving chain: published again, as a new event.
        const back = {
          ...moved,
          blockNumber: 24,
          event: fx.event(project.id, "asset.transferred"),
        };
        assert.equal(
          await store.recordObservedLogs(CHAIN, { number: 24, hash: "0xb24" }, [back], T0 + 4),
          1,
        );
        assert.equal((await store.getNft(project.id, collection.id, nft.id))?.owner, "0xb0b");
      },
    );

    storeTest(
      "listDeployedCollections: with a contract on the chain, every project's",
      async (fx) => {
        const { store } = fx;
        const { project } = await fx.project();
        const { project: other } = await fx.project();
        const deployed = { status: "deployed" as const };
        const { collection: a } = await newCollection(fx, project.id, {
          ...deployed,
          contractAddress: "0xa",
        });
        const { collection: b } = await newCollection(fx, other.id, {
          ...deployed,
          contractAddress: "0xb",
        });
        await newCollection(fx, project.id);
        await newCollection(fx, project.id, {
          ...deployed,
          chain: OTHER_CHAIN,
          contractAddress: "0xc",
        });
        const { collection: later } = await newCollection(fx, other.id);

        const byId = (list: Collection[]) => [...list].sort((x, y) => (x.id < y.id ? -1 : 1));
        assert.deepEqual(byId(await store.listDeployedCollections(CHAIN)), byId([a, b]));
        await store.updateCollection(
          other.id,
          later.id,
          { ...deployed, contractAddress: "0xd" },
          T0 + 1,
        );
        const deployedLater = (await store.getCollection(other.id, later.id))!;
        assert.equal(deployedLater.contractAddress, "0xd");
        assert.deepEqual(
          byId(await store.listDeployedCollections(CHAIN)),
          byId([a, b, deployedLater]),
        );
        assert.equal((await store.listDeployedCollections(OTHER_CHAIN)).length, 1);
        assert.deepEqual(await store.listDeployedCollections("no-such-chain"), []);
      },
    );
  });
}
