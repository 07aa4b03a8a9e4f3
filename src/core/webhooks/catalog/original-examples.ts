// Chain-observed events, named and shaped after Original's webhook catalog. Herald stores
// them in its own envelope ({id, type, data, timestamp}); `data` is Original's `data`, and an
// endpoint in the default format receives Original's body built from it (policy/webhook-format.ts).
import type { EventTypeInfo } from "./event-type.js";

const CHAIN_ID = 80002;
const APP = {
  uid: "6574646b6bf6",
  name: "Starbelly Arcade",
  region: "EU",
  environment: "Development",
};
const OWNER_ADDRESS = "0xa4a38ae09d54290af7bb71720681b27f41bd7582";
const REWARD_CONTRACT = "0xd6b984a49ab2908621a65a856a8804aac436660d";

const ASSET = {
  uid: "8692dd89e36e",
  name: "Dave Starbelly",
  metadata: {
    name: "Dave Starbelly",
    image: "https://storage.googleapis.com/opensea-prod.appspot.com/puffs/3.png",
    original_id: "5b0f4e7c-2a91-4d38-9e6b-1c7a3f8d2e50",
    org_image_url: "https://storage.googleapis.com/opensea-prod.appspot.com/puffs/3.png",
    attributes: [{ trait_type: "Base", value: "Starfish" }],
  },
  token_id: 5,
  asset_external_id: "505",
  image_cid: null,
  token_uri: "ipfs://QmNutummSoD6d6vDRiDYPDcugsZXP48qAfP2j5tNbLdXQv",
  metadata_cid: "QmNutummSoD6d6vDRiDYPDcugsZXP48qAHPfj5tNbLdXQv",
  mint_for_app_user: {
    uid: "aa8fca1e-84be-4e5d-a031-055dcc633c46",
    email: "dave@example.com",
    user_external_id: "74",
    wallet_id: "wa-3k9v2-8fj2m-4q7rsb1c0d5e6t8u",
    wallet_address: OWNER_ADDRESS,
    wallet_backend_id: "dfns",
  },
};

const COLLECTION = {
  uid: "9c06c6147005",
  name: "Starbelly Friends",
  type: "ERC721",
  symbol: "STAR",
  website: null,
  image_url: null,
  description: "",
  contract_address: "0x1ee1e69999969909cf89b1a815dd67e2ae6864bd",
};

const REWARD = {
  name: "Season Points",
  contract_address: REWARD_CONTRACT,
  uid: "6751bc85287d",
  description: "",
  token_name: "Testnet ORI",
  token_symbol: "TORI",
};

/** Original lists `type`, then `chain_id`, then the rest. */
function withChainId(log: Record<string, unknown>): Record<string, unknown> {
  const { type, ...rest } = log;
  return { type, chain_id: CHAIN_ID, ...rest };
}

function assetEvent(
  name: string,
  description: string,
  id: string,
  timestamp: number,
  transactionLog: Record<string, unknown>,
  detail: Record<string, unknown> = {},
): EventTypeInfo {
  const data = {
    app: APP,
    asset: ASSET,
    collection: COLLECTION,
    transaction_log: withChainId(transactionLog),
    ...detail,
  };
  return {
    name,
    family: "chain-observed",
    description,
    examples: [{ label: "default", body: { id, type: name, data, timestamp } }],
  };
}

function rewardEvent(
  name: string,
  description: string,
  id: string,
  timestamp: number,
  transactionLog: Record<string, unknown>,
  detail: Record<string, unknown>,
): EventTypeInfo {
  const data = {
    app: APP,
    reward: REWARD,
    transaction_log: withChainId(transactionLog),
    ...detail,
  };
  return {
    name,
    family: "chain-observed",
    description,
    examples: [{ label: "default", body: { id, type: name, data, timestamp } }],
  };
}

export const ORIGINAL_EVENT_TYPES: EventTypeInfo[] = [
  assetEvent(
    "asset.minted",
    "An asset has been minted on the blockchain.",
    "0189b0d7-bf33-7107-877b-a5217e121a2a",
    1690889076531,
    {
      type: "mint",
      transaction_hash: "0xf069927758db3f3e582f01c058055c5a586c111d2f02cf9139e5a362f90516a2",
    },
  ),
  assetEvent(
    "asset.transferred",
    "An asset has been transferred on the blockchain, deposits included.",
    "0189b0dd-a166-7145-96c2-38c5075a9df4",
    1690889462118,
    {
      type: "transfer",
      transaction_hash: "0x7c2eb325d12b52297be41cd8df269d5f7c733e97097710e0d19e1b6268576da8",
      from_address: OWNER_ADDRESS,
      to_address: "0xae461535f197c44ca3631bc6e8398d41af336fe2",
    },
  ),
  assetEvent(
    "asset.burned",
    "An asset has been burned on the blockchain.",
    "0189b0e6-b0e3-7708-91c6-97d212ed8cd7",
    1690890055907,
    {
      type: "burn",
      transaction_hash: "0x9d8cf5040c1b57c08fc5638402fad341c445bcf5e44b187512f2ea1a3149703d",
    },
  ),
  assetEvent(
    "asset.edited",
    "An asset has been edited on the blockchain.",
    "0189b0e2-64b4-7122-b21a-242a315a0711",
    1690889774260,
    {
      type: "edit",
      transaction_hash: "0x758738287464ce2ed0a4c60718a9095488b5f9efe9fff175f8d8d5e21a40cc7b",
    },
  ),
  assetEvent(
    "asset.reorged",
    "Herald's own: an asset event's log was in a block a reorg removed. Its data is the undone event's, with `undone_event` naming it; Herald's record of the asset goes back. Should the transaction land again, its event is published again.",
    "0194a1d4-7e21-7c3a-9b8d-2f4e6a8c0b1d",
    1737401200000,
    {
      type: "transfer",
      transaction_hash: "0x7c2eb325d12b52297be41cd8df269d5f7c733e97097710e0d19e1b6268576da8",
      from_address: OWNER_ADDRESS,
      to_address: "0xae461535f197c44ca3631bc6e8398d41af336fe2",
    },
    { undone_event: { id: "0189b0dd-a166-7145-96c2-38c5075a9df4", type: "asset.transferred" } },
  ),
  rewardEvent(
    "reward.allocated",
    "Rewards have been allocated on the blockchain.",
    "0189b0fa-43f9-7674-b668-30f2cc41b0ce",
    1690891338745,
    {
      type: "mint",
      transaction_hash: "0xcad9687a41a0d74c90a7fae59d1ffbf562fd49e51e357e2370ef905ce4bdcb82",
    },
    {
      allocation: {
        uid: "57ba3b89e930",
        to_user_uid: "bae6f9ecc76b",
        amount: "1.23",
        nonce: "nonce_1",
      },
    },
  ),
  rewardEvent(
    "reward.claimed",
    "Rewards have been claimed on the blockchain.",
    "0189b101-ee0c-70ba-a196-fabcc9fd42cd",
    1690891841036,
    {
      type: "claim",
      transaction_hash: "0x3f5e0a9c7d21b84e6f0c2a5d9b7e1f3a8c6d4b2e0f9a7c5e3d1b8f6a4c2e0d9b",
    },
    {
      claim: {
        uid: "5d164990794d",
        from_user_uid: "bae6f9ecc76b",
        amount: "1.23",
        to_address: OWNER_ADDRESS,
      },
    },
  ),
  rewardEvent(
    "reward.withdrawn",
    "A rewards contract has been terminated on the blockchain and its funds withdrawn.",
    "0189b113-ba98-777b-acbc-640e8049fb86",
    1690893007512,
    {
      type: "withdraw",
      transaction_hash: "0x0b4d8e2f6a1c9e7d3b5f0a8c2e4d6b1f9a7c3e5d0b2f8a6c4e1d9b7f5a3c0e2d",
    },
    { withdraw: { to_address: "0x45a1dcc5281a252b83b04e27f49b147b0c77e759" } },
  ),
  {
    name: "wallet.created",
    family: "chain-observed",
    description: "A wallet has been created for an app user on a chain.",
    examples: [
      {
        label: "default",
        body: {
          id: "0189d0d8-f591-745b-bc64-6e1ceed0c9f2",
          type: "wallet.created",
          data: {
            app: APP,
            app_user: {
              uid: "c65516822ebb",
              client_id: "",
              user_external_id: "74",
              email: "dave@example.com",
            },
            wallet: { address: OWNER_ADDRESS, chain_id: CHAIN_ID, network: "Amoy" },
          },
          timestamp: 1691426026897,
        },
      },
    ],
  },
];
