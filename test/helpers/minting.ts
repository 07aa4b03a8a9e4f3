// Minting through the API and checking the outcome, for the restart tests.
import assert from "node:assert/strict";
import { eventually, type ApiClient } from "./herald.js";
import type { Receiver } from "./receiver.js";

export interface MintRef {
  collectionId: string;
  id: string;
  actionId: string;
}

/** Creates a collection and returns its id and action id (does not wait for the deployment). */
export async function createCollection(api: ApiClient, chain: string, name: string) {
  const created = await api("POST", "/collections", { chain, metadata: { name } });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  return { id: created.body.id as string, actionId: created.body.actionId as string };
}

/** Posts one mint per name, one after another; returns each NFT's id and action id. */
export async function mintAll(
  api: ApiClient,
  collectionId: string,
  recipient: string,
  names: string[],
): Promise<MintRef[]> {
  const minted: MintRef[] = [];
  for (const name of names) {
    const res = await api("POST", `/collections/${collectionId}/nfts`, {
      recipient,
      metadata: { name },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    minted.push({ collectionId, id: res.body.id as string, actionId: res.body.actionId as string });
  }
  return minted;
}

export async function waitSucceeded(api: ApiClient, actionIds: string[], timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  await Promise.all(
    actionIds.map(async (actionId) => {
      for (;;) {
        const left = Math.ceil((deadline - Date.now()) / 1000);
        const wait = Math.min(60, Math.max(1, left)); // the API holds a request up to 60 s
        const res = await api("GET", `/actions/${actionId}?wait=${wait}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        if (res.body.status !== "pending") {
          assert.equal(res.body.status, "succeeded", JSON.stringify(res.body));
          return;
        }
        assert.ok(Date.now() < deadline, `action ${actionId} still pending`);
      }
    }),
  );
}

/**
 * Reads every NFT back; asserts each is minted with a distinct token id and, given
 * `receiptStatus`, that the node has the transaction mined. Each has its own transaction, or,
 * with `perTransaction`, at most that many share one (batch mints). Returns the token ids and
 * the number of transactions.
 */
export async function assertMinted(
  api: ApiClient,
  nfts: Array<{ collectionId: string; id: string }>,
  receiptStatus?: (txId: string) => Promise<string | undefined>,
  perTransaction = 1,
): Promise<{ tokenIds: string[]; transactions: number }> {
  const perTx = new Map<string, number>();
  const tokens = new Set<string>();
  const txs = new Set<string>();
  for (const nft of nfts) {
    const res = await api("GET", `/collections/${nft.collectionId}/nfts/${nft.id}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const { tokenId, txId } = res.body.onChain as { tokenId?: string; txId?: string };
    assert.ok(tokenId, `NFT ${nft.id} has a token id: ${JSON.stringify(res.body)}`);
    assert.ok(txId, `NFT ${nft.id} has a tx id`);
    tokens.add(`${nft.collectionId}/${tokenId}`);
    txs.add(txId);
    perTx.set(txId, (perTx.get(txId) ?? 0) + 1);
    if (receiptStatus) {
      assert.equal(await receiptStatus(txId), "0x1", `the node has NFT ${nft.id}'s mint mined`);
    }
  }
  assert.equal(tokens.size, nfts.length, "distinct token ids");
  if (perTransaction === 1) assert.equal(txs.size, nfts.length, "distinct transactions");
  for (const [txId, n] of perTx) assert.ok(n <= perTransaction, `${n} mints in ${txId}`);
  return { tokenIds: [...tokens].map((t) => t.split("/")[1]!), transactions: txs.size };
}

/** Every action's nfts.create.succeeded webhook arrived at least once, always as the same event
 * (a redelivery, not a second completion); returns the redeliveries. */
export async function assertWebhooks(receiver: Receiver, actionIds: string[]): Promise<number> {
  const counts = () => {
    const byAction = new Map<string, number>();
    for (const r of receiver.requests) {
      if (r.json?.type !== "nfts.create.succeeded") continue;
      const id = String(r.json.actionId);
      byAction.set(id, (byAction.get(id) ?? 0) + 1);
    }
    return byAction;
  };
  await eventually(() => actionIds.every((id) => counts().has(id)), {
    timeoutMs: 15_000,
    intervalMs: 100,
    message: "every mint's webhook",
  });
  let duplicates = 0;
  for (const id of actionIds) duplicates += (counts().get(id) ?? 0) - 1;
  for (const id of actionIds) {
    const events = new Set(
      receiver.requests.filter((r) => r.json?.actionId === id).map((r) => r.json.id),
    );
    assert.equal(events.size, 1, `action ${id} completed once`);
  }
  return duplicates;
}
