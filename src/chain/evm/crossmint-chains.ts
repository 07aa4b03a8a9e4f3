// The EVM chains Crossmint's API names, with their chain ids. A HERALD_CHAINS entry with one of
// these names needs only its rpcUrl: the chain id comes from here (and is checked against the
// node's eth_chainId at start).
//
// Names: the `chain` enum of Crossmint's create-collection call
// (https://docs.crossmint.com/api-reference/minting/collection/create-collection-idempotent) and
// its minting pricing page (https://docs.crossmint.com/minting/advanced/pricing).
// Ids: Crossmint's SDK, `BLOCKCHAIN_TO_CHAIN_ID` in Crossmint/crossmint-sdk
// (packages/common/base/src/blockchain/utils/evm/blockchainToChainId.ts); the docs give none.

/** Crossmint's name of an EVM chain → its chain id (EIP-155). */
export const CROSSMINT_EVM_CHAINS: ReadonlyMap<string, number> = new Map([
  ["ethereum", 1],
  ["ethereum-sepolia", 11155111],
  ["polygon", 137],
  ["polygon-amoy", 80002],
  ["base", 8453],
  ["base-sepolia", 84532],
  ["arbitrum", 42161],
  ["arbitrum-sepolia", 421614],
  ["arbitrumnova", 42170],
  ["optimism", 10],
  ["optimism-sepolia", 11155420],
  ["zora", 7777777],
  ["zora-sepolia", 999999999],
  ["bsc", 56],
  ["bsc-testnet", 97],
  ["avalanche", 43114],
  ["avalanche-fuji", 43113],
  ["astar-zkevm", 3776],
  ["zkyoto", 6038361],
  ["skale-nebula", 1482601649],
  ["skale-nebula-testnet", 37084624],
  ["chiliz", 88888],
  ["chiliz-spicy-testnet", 88882],
  ["mode", 34443],
  ["mode-sepolia", 919],
  ["shape", 360],
  ["shape-sepolia", 11011],
  ["sei-pacific-1", 1329],
  ["sei-atlantic-2-testnet", 1328],
  ["rari", 1380012617],
  ["viction", 88],
  ["xai", 660279],
  ["apechain", 33139],
  ["curtis", 33111],
]);

/** The chain id of a chain Crossmint names `name` (exactly, lower case), if it names one. */
export function crossmintChainId(name: string): number | undefined {
  return CROSSMINT_EVM_CHAINS.get(name);
}
