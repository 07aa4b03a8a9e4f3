// Custodial wallets as Crossmint's wallet API reads them: an owner's wallets, and the NFTs a
// wallet holds.
import type { HeldNft, Wallet } from "../../core/chain/chain-types.js";
import { rows, type Db } from "./database.js";
import { toNft, toWallet } from "../rows.js";

/** By chain name, byte order (as SQLite sorts). */
export async function listWallets(db: Db, projectId: string, ownerKey: string): Promise<Wallet[]> {
  const found = await rows(
    db,
    `SELECT * FROM wallets WHERE project_id = $1 AND email = $2 ORDER BY chain COLLATE "C"`,
    [projectId, ownerKey],
  );
  return found.map(toWallet);
}

/** Through the owner index (nfts_owner), each NFT with its collection's chain and contract. */
export async function listWalletNfts(
  db: Db,
  projectId: string,
  chain: string,
  address: string,
  page: { offset: number; limit: number },
): Promise<HeldNft[]> {
  const found = await rows(
    db,
    `SELECT n.*, c.contract_address AS collection_contract FROM nfts n
       JOIN collections c ON c.project_id = n.project_id AND c.id = n.collection_id
     WHERE n.project_id = $1 AND n.owner = $2 AND n.status = 'minted' AND c.chain = $3
       AND c.contract_address IS NOT NULL
     ORDER BY n.created_at DESC, n.id DESC LIMIT $4 OFFSET $5`,
    [projectId, address, chain, page.limit, page.offset],
  );
  return found.map((row) => ({
    nft: toNft(row),
    contractAddress: row.collection_contract as string,
  }));
}
