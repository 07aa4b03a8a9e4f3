// Crossmint's action events: `<action>.<status>` published when an action completes.
// Payloads follow Crossmint's "Webhooks and Status APIs" examples (their dummy values),
// plus Herald's `id`; `resource` points at this server instead of crossmint.com.
import type { EventTypeInfo } from "./event-type.js";

const API = "http://localhost:8080/api/2022-06-09";

const POLYGON_TX = "0x919ec33c1ceffd292d1d0cdd9675ffcc0af31a1f34622edd4865a9ca9fa82aa1";
const SOLANA_TX =
  "2M4tFbGWFPWAjHmZdssoTiTRjxx43nRd3vt9RpQ3wLWsW69duUhvEQrDvsyfafnQNoh6LmDQg4KPLvffgCskkwoV";
const EVM_OWNER = "0x10324e5B8879CA6662ff83617F74b0AaD251b819";
const SOLANA_OWNER = "EjLpq6RAxzPuwjcwJ2C6ZjwrFZuqhu2CiVTDzkSSCE5B";
const DEFAULT_POLYGON = {
  id: "default-polygon",
  contractAddress: "0x2DdDDEe8dad8b2ec123F5ceEc3E8dA4E57C0ed29",
};
const DEFAULT_SOLANA = {
  id: "default-solana",
  mintAddress: "qCTMcsRBYYt1YKDAkJnstjgXJU625YX5LBfwsUi1Mn4",
};

export const CROSSMINT_EVENT_TYPES: EventTypeInfo[] = [
  {
    name: "collections.create.succeeded",
    family: "crossmint",
    description: "A collection's contract has been deployed on chain.",
    examples: [
      {
        label: "EVM",
        body: {
          id: "018afb60-892c-70ce-b398-05ad6d5cac24",
          type: "collections.create.succeeded",
          actionId: "897eadae-ee2d-43f9-a97b-1a9d9c682d6f",
          startedAt: "2023-10-04T15:48:20.000Z",
          completedAt: "2023-10-04T15:48:42.000Z",
          data: {
            chain: "polygon",
            txId: POLYGON_TX,
            collection: {
              id: "897eadae-ee2d-43f9-a97b-1a9d9c682d6f",
              contractAddress: "0x59195995f248450267AD40CAc1d79fAAba290467",
            },
          },
          resource: `${API}/collections/897eadae-ee2d-43f9-a97b-1a9d9c682d6f`,
          timestamp: 1696434522412,
        },
      },
      {
        label: "Solana",
        body: {
          id: "018afb62-139c-77c3-aafb-4b042d5f3ca2",
          type: "collections.create.succeeded",
          actionId: "01ac4b77-9bc9-42d3-a110-b0572ec299fd",
          startedAt: "2023-10-04T15:50:12.000Z",
          completedAt: "2023-10-04T15:50:23.000Z",
          data: {
            chain: "solana",
            txId: SOLANA_TX,
            collection: {
              id: "01ac4b77-9bc9-42d3-a110-b0572ec299fd",
              mintAddress: "JCpAQcjqWCwTpRPsMumsXtg3A4SGMXbxVbowu8qrntqt",
            },
          },
          resource: `${API}/collections/01ac4b77-9bc9-42d3-a110-b0572ec299fd`,
          timestamp: 1696434623388,
        },
      },
    ],
  },
  {
    name: "collections.create.failed",
    family: "crossmint",
    description: "A collection's contract could not be deployed; no contract exists.",
    examples: [
      {
        label: "EVM",
        body: {
          id: "018afb63-b09e-7768-bb2d-00f31ad577d4",
          type: "collections.create.failed",
          actionId: "3b1f6c0e-7d52-4a8e-9c1b-5f2e8a4d7c90",
          startedAt: "2023-10-04T15:51:58.000Z",
          data: {
            chain: "polygon",
            collection: { id: "3b1f6c0e-7d52-4a8e-9c1b-5f2e8a4d7c90" },
            error: {
              reason: "execution_reverted",
              message: "Contract deployment reverted. Check 'revertReason' for details",
              revertReason: "execution reverted: supply limit must be positive",
              callInfo: {
                functionName: "constructor",
                arguments: { name: "Genesis Passes", symbol: "GPASS", supplyLimit: 0 },
                calldata: "0x608060405234801561001057600080fd5b50",
              },
            },
          },
          resource: `${API}/collections/3b1f6c0e-7d52-4a8e-9c1b-5f2e8a4d7c90`,
          timestamp: 1696434729118,
        },
      },
    ],
  },
  {
    name: "collections.update.succeeded",
    family: "crossmint",
    description: "A collection's on-chain settings have been changed.",
    examples: [
      {
        label: "EVM",
        body: {
          id: "018afb68-afbd-7388-9ceb-a4968c264c98",
          type: "collections.update.succeeded",
          actionId: "e0926e73-8212-4074-b934-4d6ac68cfcff",
          startedAt: "2023-10-04T15:57:14.000Z",
          completedAt: "2023-10-04T15:57:36.000Z",
          data: {
            chain: "polygon",
            txId: POLYGON_TX,
            collection: {
              id: "897eadae-ee2d-43f9-a97b-1a9d9c682d6f",
              contractAddress: "0x59195995f248450267AD40CAc1d79fAAba290467",
            },
            changes: ["supplyLimit"],
          },
          resource: `${API}/collections/897eadae-ee2d-43f9-a97b-1a9d9c682d6f`,
          timestamp: 1696435056573,
        },
      },
    ],
  },
  {
    name: "nfts.create.succeeded",
    family: "crossmint",
    description: "An NFT has been minted and delivered to its recipient.",
    examples: [
      {
        label: "EVM",
        body: {
          id: "018afc46-9c75-7156-94e0-b58828a62e9f",
          type: "nfts.create.succeeded",
          actionId: "771d7e38-2890-47d7-b733-a1462736b528",
          startedAt: "2023-10-04T19:59:47.000Z",
          completedAt: "2023-10-04T20:00:00.000Z",
          data: {
            chain: "polygon",
            txId: POLYGON_TX,
            collection: DEFAULT_POLYGON,
            recipient: { walletAddress: EVM_OWNER, email: "recipient@crossmint.com" },
            token: {
              id: "771d7e38-2890-47d7-b733-a1462736b528",
              owner: { walletAddress: EVM_OWNER },
              tokenId: "15",
            },
          },
          resource: `${API}/collections/default-polygon/nfts/771d7e38-2890-47d7-b733-a1462736b528`,
          timestamp: 1696449600629,
        },
      },
      {
        label: "Solana",
        body: {
          id: "018afc47-efcd-7199-a1b8-62ec1f951f1b",
          type: "nfts.create.succeeded",
          actionId: "2c5f9ec6-ae68-4e17-a671-db4af2208a2d",
          startedAt: "2023-10-04T20:01:21.000Z",
          completedAt: "2023-10-04T20:01:27.000Z",
          data: {
            chain: "solana",
            txId: SOLANA_TX,
            collection: DEFAULT_SOLANA,
            recipient: { walletAddress: SOLANA_OWNER, email: "recipient@crossmint.com" },
            token: {
              id: "2c5f9ec6-ae68-4e17-a671-db4af2208a2d",
              owner: { walletAddress: SOLANA_OWNER },
              mintHash: "Gec66rG8Rj6Q2nqaFpGRvggiAfriMb93o28qGSeeY1gJ",
            },
          },
          resource: `${API}/collections/default-solana/nfts/2c5f9ec6-ae68-4e17-a671-db4af2208a2d`,
          timestamp: 1696449687501,
        },
      },
    ],
  },
  {
    name: "nfts.create.failed",
    family: "crossmint",
    description: "An NFT could not be minted; `error` says why.",
    examples: [
      {
        label: "EVM",
        body: {
          id: "018d7b3e-7abd-75ec-8713-8630ca14b276",
          type: "nfts.create.failed",
          actionId: "cf9985d3-3341-4fd6-bd0e-548ef97a3486",
          startedAt: "2024-02-05T21:48:17.000Z",
          data: {
            chain: "polygon",
            collection: {
              id: "297199ba-c763-4464-b592-26c2ca2dbe5d",
              contractAddress: "0x2ADBeb5e1976615883D3c5F07234E38b50e09edB",
            },
            contractArguments: { key: 28 },
            recipient: { walletAddress: "0x78359E7dF948834caFEcBE0494B010C6f7f7fA74" },
            token: { id: "cf9985d3-3341-4fd6-bd0e-548ef97a3486" },
            error: {
              reason: "execution_reverted",
              message: "Minting smart contract reverted. Check 'revertReason' for details",
              revertReason: "execution reverted: Wrong value for key",
              callInfo: {
                functionName: "mintTo",
                arguments: { key: 28, recipient: "0x78359E7dF948834caFEcBE0494B010C6f7f7fA74" },
                calldata:
                  "0x449a52f800000000000000000000000078359e7df948834cafecbe0494b010c6f7f7fa74000000000000000000000000000000000000000000000000000000000000001c",
              },
            },
          },
          resource: `${API}/collections/297199ba-c763-4464-b592-26c2ca2dbe5d/nfts/cf9985d3-3341-4fd6-bd0e-548ef97a3486`,
          timestamp: 1707169708733,
        },
      },
    ],
  },
  {
    name: "nfts.update.succeeded",
    family: "crossmint",
    description: "An NFT's metadata has been replaced on chain.",
    examples: [
      {
        label: "EVM",
        body: {
          id: "018afc4f-62ac-77a2-a54f-629b394335cc",
          type: "nfts.update.succeeded",
          actionId: "f7fedd17-2feb-4bc9-88fa-8890ea8f99e8",
          startedAt: "2023-10-04T20:09:27.000Z",
          completedAt: "2023-10-04T20:09:35.000Z",
          data: {
            chain: "polygon",
            txId: POLYGON_TX,
            collection: DEFAULT_POLYGON,
            token: {
              id: "210a95ab-d59c-41ef-9f60-8e41550a753e",
              owner: { walletAddress: EVM_OWNER },
              tokenId: "16",
            },
            changes: ["metadata"],
          },
          resource: `${API}/collections/default-polygon/nfts/210a95ab-d59c-41ef-9f60-8e41550a753e`,
          timestamp: 1696450175660,
        },
      },
      {
        label: "Solana",
        body: {
          id: "018afc4d-f431-72c4-bcd0-4915c0ddd10b",
          type: "nfts.update.succeeded",
          actionId: "57d3cedd-e8e8-4509-88bc-97d6baea478f",
          startedAt: "2023-10-04T20:07:55.000Z",
          completedAt: "2023-10-04T20:08:01.000Z",
          data: {
            chain: "solana",
            txId: SOLANA_TX,
            collection: DEFAULT_SOLANA,
            token: {
              id: "1f3f0959-417d-43a7-95f8-39e6f22d5573",
              owner: { walletAddress: SOLANA_OWNER },
              mintHash: "BnyGQcmU4mXMi5NMUuKTjFdYkg79RZoBX3qCWdXZVcyb",
            },
            changes: ["metadata"],
          },
          resource: `${API}/collections/default-solana/nfts/1f3f0959-417d-43a7-95f8-39e6f22d5573`,
          timestamp: 1696450081841,
        },
      },
    ],
  },
  {
    name: "nfts.delete.succeeded",
    family: "crossmint",
    description: "An NFT has been burned on chain.",
    examples: [
      {
        label: "EVM",
        body: {
          id: "018afc54-854c-7397-a9c2-9cb35b86d495",
          type: "nfts.delete.succeeded",
          actionId: "a4c2e9d1-6b3f-4f7a-8e25-0d9c7b1e3f46",
          startedAt: "2023-10-04T20:15:01.000Z",
          completedAt: "2023-10-04T20:15:12.000Z",
          data: {
            chain: "polygon",
            txId: "0x8e760e0f33ef078ab0e75a9ccfbce96cc1748e6174650bd29791d0dadbee56b2",
            collection: DEFAULT_POLYGON,
            token: {
              id: "771d7e38-2890-47d7-b733-a1462736b528",
              tokenId: "15",
              owner: { walletAddress: EVM_OWNER },
            },
          },
          resource: `${API}/collections/default-polygon/nfts/771d7e38-2890-47d7-b733-a1462736b528`,
          timestamp: 1696450512204,
        },
      },
    ],
  },
  {
    name: "wallets.create.succeeded",
    family: "crossmint",
    description: "A wallet has been created for a user on a chain.",
    examples: [
      {
        label: "EVM",
        body: {
          id: "018afc58-fe81-762e-9c14-c5861b3e880b",
          type: "wallets.create.succeeded",
          startedAt: "2023-10-04T20:20:01.000Z",
          completedAt: "2023-10-04T20:20:05.000Z",
          data: {
            chain: "polygon",
            wallet: {
              address: "0x1bd5dd05b853a12bed661a8c94bb70fbc5183ebc",
              email: "recipient@crossmint.com",
            },
          },
          resource: `${API}/wallets/polygon:0x1bd5dd05b853a12bed661a8c94bb70fbc5183ebc`,
          timestamp: 1696450805377,
        },
      },
    ],
  },
];
