// Custodial wallets as Crossmint's wallet API reads them: an owner's wallets, and the NFTs a
// wallet holds.
import type { HeldNft, Wallet } from "../../core/chain/chain-types.js";
import { sql, type Db } from "./database.js";
import { toNft, toWallet } from "../rows.js";

type Row = Record<string, unknown>;

/** By chain name (the primary key's order). */
export function listWallets(db: Db, projectId: string, ownerKey: string): Wallet[] {
  const rows = sql(
    db,
    "SELECT * FROM wallets WHERE project_id = ? AND email = ? ORDER BY chain",
  ).all(projectId, ownerKey) as Row[];
  return rows.map(toWallet);
}

/** Through the owner index (nfts_owner), each NFT with its collection's chain and contract. */
export function listWalletNfts(
  db: Db,
  projectId: string,
  chain: string,
  address: string,
  page: { offset: number; limit: number },
): HeldNft[] {
  const rows = sql(
    db,
    `SELECT n.*, c.contract_address AS collection_contract FROM nfts n
       JOIN collections c ON c.project_id = n.project_id AND c.id = n.collection_id
     WHERE n.project_id = ? AND n.owner = ? AND n.status = 'minted' AND c.chain = ?
       AND c.contract_address IS NOT NULL
     ORDER BY n.created_at DESC, n.id DESC LIMIT ? OFFSET ?`,
  ).all(projectId, address, chain, page.limit, page.offset) as Row[];
  return rows.map((row) => ({
    nft: toNft(row),
    contractAddress: row.collection_contract as string,
  }));
}
