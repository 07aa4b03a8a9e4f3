import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { request } from "undici";
import { eventually, startTestHerald, type TestHerald } from "../helpers/herald.js";
import { Receiver, type ReceivedRequest } from "../helpers/receiver.js";
import { generator, type Random } from "../helpers/random.js";
import { sdkClient, verifiedWebhook, type OriginalClient } from "../helpers/original.js";

// Original's assets (docs.getoriginal.com) on a real Herald and its embedded chain: create →
// mint → `asset.minted`, edit → `asset.edited`, burn → `asset.burned`, each delivered in
// Original's body and read by a consumer written as Original's documentation shows one.

let h: TestHerald;
let receiver: Receiver;
let secret = "";
let userUid = "";
let otherUid = "";

const original: OriginalClient = sdkClient(() => h.url);

before(async () => {
  h = await startTestHerald();
  receiver = await Receiver.start();
  const endpoint = await h.api("POST", "/webhooks/endpoints", { url: `${receiver.url}/all` });
  assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
  secret = endpoint.body.secret;
  const user = await original("POST", "/user", {
    user_external_id: "74",
    email: "dave@example.com",
  });
  assert.equal(user.status, 201, JSON.stringify(user.body));
  userUid = user.body.data.uid;
  otherUid = (await original("POST", "/user", { email: "other@example.com" })).body.data.uid;
});
after(async () => {
  await h?.stop();
  await receiver?.close();
});

/** The consumer of Original's documentation: dispatch on `event`, de-duplicate on the
 * correlation id. */
const seen = new Set<string>();
const handled: Array<{ event: string; asset: string }> = [];
function consume(body: any): void {
  if (seen.has(body["x-webhook-correlation-id"])) return;
  seen.add(body["x-webhook-correlation-id"]);
  if (String(body.event).startsWith("asset."))
    handled.push({ event: body.event, asset: body.data.asset.uid });
}

/** The verified Original-format webhook of `event` about asset `uid`. */
async function assetWebhook(event: string, uid: string): Promise<any> {
  const found = (r: ReceivedRequest) => r.json?.event === event && r.json?.data?.asset?.uid === uid;
  const req = await eventually(() => receiver.requests.find(found)!, {
    timeoutMs: 120_000,
    message: `${event} of ${uid}`,
  });
  const body = verifiedWebhook(req, secret);
  assert.equal(req.headers["x-app-uid"], body["x-app-uid"]);
  consume(body);
  return body;
}

/** The asset once `check` holds (the SDKs' end-to-end tests poll the same way). */
const assetWhen = (uid: string, check: (data: any) => boolean, message: string) =>
  eventually(
    async () => {
      const res = await original("GET", `/asset/${uid}`);
      return res.status === 200 && check(res.body.data) ? res.body.data : null;
    },
    { timeoutMs: 120_000, intervalMs: 100, message },
  );

// Source: https://docs.getoriginal.com/docs/create-asset-api (the JS README's request).
const DAVE = {
  name: "Dave Starbelly",
  unique_name: true,
  image_url: "https://storage.googleapis.com/opensea-prod.appspot.com/puffs/3.png",
  store_image_on_ipfs: true,
  description: "Friendly OpenSea Creature that enjoys long swims in the ocean.",
  external_url: "https://openseacreatures.io/3",
  attributes: [
    { trait_type: "Base", value: "Starfish" },
    { trait_type: "Eyes", value: "Big" },
    { trait_type: "Aqua Power", display_type: "boost_number", value: 40 },
    { trait_type: "Stamina Increase", display_type: "boost_percentage", value: 10 },
  ],
};

test("create, edit and burn an asset: each answer and each asset.* webhook as documented", async () => {
  const created = await original("POST", "/asset", {
    user_uid: userUid,
    asset_external_id: "asset_external_id_1",
    collection_uid: "default-local",
    sale_price_in_usd: 9.99,
    data: DAVE,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const uid = created.body.data.uid;

  const minted = await assetWebhook("asset.minted", uid);
  assert.equal(minted.data.asset.name, "Dave Starbelly");
  assert.equal(minted.data.asset.asset_external_id, "asset_external_id_1");
  assert.equal(minted.data.asset.metadata.original_id, uid);
  assert.equal(minted.data.asset.metadata.image, DAVE.image_url);
  assert.deepEqual(minted.data.asset.metadata.attributes, DAVE.attributes);
  const user = (await original("GET", `/user/${userUid}`)).body.data;
  assert.deepEqual(minted.data.asset.mint_for_app_user, {
    uid: userUid,
    email: "dave@example.com",
    user_external_id: "74",
    wallet_id: `local:${user.wallet_address}`,
    wallet_address: user.wallet_address,
  });
  assert.equal(minted.data.collection.uid, "default-local");
  assert.equal(minted.data.transaction_log.type, "mint");
  assert.equal(minted.data.transaction_log.chain_id, 31337);

  // Source: https://docs.getoriginal.com/docs/get-asset-details
  const asset = await assetWhen(uid, (a) => a.is_minted, "minted");
  assert.equal(asset.name, "Dave Starbelly", "unique_name: the name as given");
  assert.equal(asset.token_id, minted.data.asset.token_id);
  assert.equal(asset.collection_uid, "default-local");
  assert.equal(asset.mint_for_user_uid, userUid);
  assert.equal(asset.owner_user_uid, userUid);
  assert.equal(asset.owner_address, user.wallet_address);
  assert.equal(asset.is_transferable, true);
  assert.equal(asset.is_burned, false);
  assert.equal(asset.sale_price_in_usd, 9.99);
  assert.match(asset.created_at, /\.\d{6}Z$/);
  const metadata = await request(asset.token_uri);
  assert.equal(metadata.statusCode, 200);
  assert.equal(((await metadata.body.json()) as any).name, "Dave Starbelly");

  // The same name again, unique: refused; not unique: `<name> #<token id>`.
  const again = await original("POST", "/asset", {
    user_uid: userUid,
    collection_uid: "default-local",
    asset_external_id: "asset_external_id_2",
    data: DAVE,
  });
  assert.equal(again.status, 400);
  assert.equal(again.body.error.detail.message, "Asset with this name already exists");
  const twin = await original("POST", "/asset", {
    user_uid: userUid,
    collection_uid: "default-local",
    asset_external_id: "asset_external_id_2",
    data: { ...DAVE, unique_name: false, attributes: null, description: null },
  });
  assert.equal(twin.status, 201, JSON.stringify(twin.body));
  const twinAsset = await assetWhen(twin.body.data.uid, (a) => a.is_minted, "twin minted");
  assert.equal(twinAsset.name, `Dave Starbelly #${twinAsset.token_id}`);

  // Source: https://docs.getoriginal.com/docs/get-list-of-assets-by-user-uid
  const list = await original("GET", `/asset?user_uid=${userUid}`);
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.data.map((a: any) => a.uid).sort(), [uid, twin.body.data.uid].sort());
  assert.deepEqual((await original("GET", "/asset?user_uid=no_results")).body, {
    success: true,
    data: [],
  });

  // Source: https://docs.getoriginal.com/docs/edit-asset
  // A new name, not unique: the asset is called `<name> #<token id>` from now on.
  const edit = await original("PUT", `/asset/${uid}`, {
    data: {
      name: "Dave Starbelly II",
      unique_name: false,
      image_url: DAVE.image_url,
      description: "Edited.",
    },
  });
  assert.equal(edit.status, 200, JSON.stringify(edit.body));
  assert.deepEqual(edit.body, { success: true, data: null });
  const edited = await assetWebhook("asset.edited", uid);
  assert.equal(edited.data.asset.metadata.description, "Edited.");
  assert.equal(edited.data.asset.name, `Dave Starbelly II #${asset.token_id}`);
  assert.equal(
    edited.data.asset.metadata.attributes,
    undefined,
    "optional fields not given are gone",
  );
  const renamed = await assetWhen(
    uid,
    (a) => !a.is_editing && a.metadata.description === "Edited.",
    "edited",
  );
  assert.equal(renamed.name, `Dave Starbelly II #${asset.token_id}`);
  assert.equal(renamed.metadata.name, "Dave Starbelly II");

  // Source: https://docs.getoriginal.com/docs/transfer-asset (to another user's wallet)
  const other = (await original("GET", `/user/${otherUid}`)).body.data;
  const transfer = await original("POST", "/transfer", {
    asset_uid: uid,
    from_user_uid: userUid,
    to_address: other.wallet_address,
  });
  assert.equal(transfer.status, 201, JSON.stringify(transfer.body));
  // The former holder's burn or second transfer right behind it is refused, whether the
  // transfer is still pending or already done.
  for (const [path, body] of [
    ["/burn", { asset_uid: uid, from_user_uid: userUid }],
    ["/transfer", { asset_uid: uid, from_user_uid: userUid, to_address: user.wallet_address }],
  ] as const) {
    const racing = await original("POST", path, body);
    assert.equal(racing.status, 400, JSON.stringify(racing.body));
    assert.match(
      racing.body.error.detail.message,
      /^(Asset is being transferred\.|Asset is not owned by this user\.)$/,
    );
  }
  const transferred = await assetWebhook("asset.transferred", uid);
  assert.equal(transferred.data.transaction_log.type, "transfer");
  assert.equal(transferred.data.transaction_log.from_address, user.wallet_address);
  assert.equal(transferred.data.transaction_log.to_address, other.wallet_address);
  // Source: https://docs.getoriginal.com/docs/get-transfer-details
  const transferDone = await eventually(
    async () => {
      const res = await original("GET", `/transfer/${transfer.body.data.uid}`);
      return res.body.data?.status === "done" ? res.body.data : null;
    },
    { timeoutMs: 120_000, message: "the transfer done" },
  );
  assert.deepEqual(transferDone, {
    uid: transfer.body.data.uid,
    status: "done",
    asset_uid: uid,
    from_user_uid: userUid,
    to_address: other.wallet_address,
    created_at: transferDone.created_at,
  });
  const moved = await assetWhen(uid, (a) => a.owner_user_uid === otherUid, "owned by the other");
  assert.equal(moved.owner_address, other.wallet_address);
  assert.equal(moved.mint_for_user_uid, userUid, "minted for the first user still");
  assert.equal(moved.is_transferable, true, "still in custody: the other user can move it");
  // Source: https://docs.getoriginal.com/docs/get-list-of-transfers-by-users
  const transfers = await original("GET", `/transfer?user_uid=${userUid}`);
  assert.deepEqual(
    transfers.body.data.map((t: any) => t.uid),
    [transfer.body.data.uid],
  );

  // Source: https://docs.getoriginal.com/docs/burn-asset-api
  const notTheirs = await original("POST", "/burn", { asset_uid: uid, from_user_uid: userUid });
  assert.equal(notTheirs.status, 400);
  assert.equal(notTheirs.body.error.detail.message, "Asset is not owned by this user.");
  const burn = await original("POST", "/burn", { asset_uid: uid, from_user_uid: otherUid });
  assert.equal(burn.status, 201, JSON.stringify(burn.body));
  const burned = await assetWebhook("asset.burned", uid);
  assert.equal(burned.data.transaction_log.type, "burn");
  // Source: https://docs.getoriginal.com/docs/get-burn-details
  const done = await eventually(
    async () => {
      const res = await original("GET", `/burn/${burn.body.data.uid}`);
      return res.body.data?.status === "done" ? res.body.data : null;
    },
    { timeoutMs: 120_000, message: "the burn done" },
  );
  assert.deepEqual(Object.keys(done), [
    "uid",
    "status",
    "asset_uid",
    "from_user_uid",
    "created_at",
  ]);
  assert.equal(done.asset_uid, uid);
  await assetWhen(uid, (a) => a.is_burned && !a.is_transferable, "burned");
  // Source: https://docs.getoriginal.com/docs/get-list-of-burns-details-by-users
  const burns = await original("GET", `/burn?user_uid=${otherUid}`);
  assert.deepEqual(
    burns.body.data.map((b: any) => b.uid),
    [burn.body.data.uid],
  );
  const again2 = await original("POST", "/burn", { asset_uid: uid, from_user_uid: otherUid });
  assert.equal(again2.body.error.detail.message, "Asset is burned.");

  // One event of each family per mint; the consumer handled each asset event once.
  const crossmintMints = receiver.requests.filter(
    (r) => r.json?.type === "nfts.create.succeeded" && r.json?.actionId === uid,
  );
  assert.equal(crossmintMints.length, 1, "one nfts.create.succeeded for the asset's mint");
  assert.deepEqual(
    handled.filter((e) => e.asset === uid).map((e) => e.event),
    ["asset.minted", "asset.edited", "asset.transferred", "asset.burned"],
  );

  // To an outside address: the asset leaves the app's users (and Herald's custody).
  const outside = "0x000000000000000000000000000000000000dEaD";
  const out = await original("POST", "/transfer", {
    asset_uid: twin.body.data.uid,
    from_user_uid: userUid,
    to_address: outside,
  });
  assert.equal(out.status, 201, JSON.stringify(out.body));
  const gone = await assetWhen(twin.body.data.uid, (a) => a.owner_address === outside, "moved out");
  assert.equal(gone.owner_user_uid, null);
  assert.equal(gone.is_transferable, false);
  const back = await original("POST", "/transfer", {
    asset_uid: twin.body.data.uid,
    from_user_uid: userUid,
    to_address: user.wallet_address,
  });
  assert.equal(back.body.error.detail.message, "Asset is not owned by this user.");
  const badAddress = await original("POST", "/transfer", {
    asset_uid: uid,
    from_user_uid: otherUid,
    to_address: "0x123",
  });
  assert.equal(badAddress.status, 400);
});

test("unknown users, collections and assets: 404 in Original's shape", async () => {
  const base = { asset_external_id: "x", data: { ...DAVE, name: "Nobody's" } };
  const noUser = await original("POST", "/asset", {
    ...base,
    user_uid: "nobody",
    collection_uid: "default-local",
  });
  assert.equal(noUser.status, 404);
  assert.equal(noUser.body.error.detail.message, "User not found.");
  const noCollection = await original("POST", "/asset", {
    ...base,
    user_uid: userUid,
    collection_uid: "nope",
  });
  assert.equal(noCollection.status, 404);
  assert.equal(noCollection.body.error.detail.message, "Collection not found.");
  assert.equal((await original("GET", "/asset/nope")).status, 404);
  assert.equal((await original("GET", "/burn/nope")).status, 404);
  const bad = await original("POST", "/asset", {
    ...base,
    user_uid: userUid,
    collection_uid: "default-local",
    data: { ...DAVE, name: "Bad image", image_url: "not a url" },
  });
  assert.equal(bad.status, 400, JSON.stringify(bad.body));
  assert.equal(bad.body.error.type, "validation_error", JSON.stringify(bad.body));
  assert.equal(bad.body.error.detail.field_name, "data.image_url");
});

// ---- fuzz ------------------------------------------------------------------------------------

// prettier-ignore
const ODD = ["", " ", "\u0000", "é", "😀", "\ud800", '"', "\\", "%", "a".repeat(3000), "javascript:alert(1)", "https://example.com/x.png", "default-local", "ftp://x"];
const odd = (r: Random): unknown =>
  r.pick<() => unknown>([
    () => null,
    () => r.int(1e9),
    () => -1,
    () => 1e308,
    () => true,
    () => [],
    () => ({}),
    () => r.pick(ODD),
  ])();

function dataOf(r: Random): unknown {
  const data: Record<string, unknown> = {
    ...DAVE,
    name: `Fuzz ${r.int(1e9)}`,
    unique_name: r.next() < 0.5,
  };
  for (const key of Object.keys(data)) if (r.next() < 0.2) data[key] = odd(r);
  if (r.next() < 0.2)
    data.attributes = [{ trait_type: odd(r), value: odd(r), display_type: odd(r) }];
  return r.next() < 0.9 ? data : odd(r);
}

test("fuzz: 500 random bodies per Original asset route (create, edit, transfer, burn) never yield a 5xx", async () => {
  const seed = Number(process.env.HERALD_FUZZ_SEED ?? Date.now() % 1e9);
  const r = generator(seed);
  const target = await original("POST", "/asset", {
    user_uid: userUid,
    collection_uid: "default-local",
    data: { ...DAVE, name: "Fuzz target" },
  });
  assert.equal(target.status, 201);
  const routes: Array<[string, string, () => Record<string, unknown>]> = [
    [
      "POST",
      "/asset",
      () => ({
        user_uid: r.next() < 0.8 ? userUid : odd(r),
        collection_uid: r.next() < 0.8 ? "default-local" : odd(r),
        asset_external_id: odd(r),
        sale_price_in_usd: r.next() < 0.5 ? 9.99 : odd(r),
        data: dataOf(r),
      }),
    ],
    ["PUT", `/asset/${target.body.data.uid}`, () => ({ data: dataOf(r) })],
    [
      "POST",
      "/transfer",
      () => ({
        asset_uid: r.next() < 0.5 ? target.body.data.uid : odd(r),
        from_user_uid: r.next() < 0.5 ? otherUid : odd(r),
        to_address: r.next() < 0.3 ? "0x000000000000000000000000000000000000dEaD" : odd(r),
      }),
    ],
    [
      "POST",
      "/burn",
      () => ({
        asset_uid: r.next() < 0.5 ? target.body.data.uid : odd(r),
        from_user_uid: r.next() < 0.5 ? otherUid : odd(r),
      }),
    ],
  ];
  for (const [method, path, make] of routes) {
    for (let i = 0; i < 500; i++) {
      let body = JSON.stringify(r.next() < 0.95 ? make() : odd(r)) ?? "null";
      if (r.next() < 0.05) body = body.slice(0, r.int(body.length));
      const res = await original(method, path, body).catch((error: Error) => ({
        status: 0,
        headers: {},
        body: error.message,
      }));
      assert.ok(
        res.status >= 200 && res.status < 500,
        `seed ${seed}: ${method} ${path} ${body} → ${res.status} ${JSON.stringify(res.body)}`,
      );
      if (res.status >= 400)
        assert.equal(res.body.success, false, `seed ${seed}: ${JSON.stringify(res.body)}`);
    }
  }
});
