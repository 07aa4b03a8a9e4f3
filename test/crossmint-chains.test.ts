import assert from "node:assert/strict";
import { test } from "node:test";
import { CHAIN_ADAPTERS } from "../src/chain/families.js";
import { CROSSMINT_EVM_CHAINS, crossmintChainId } from "../src/chain/evm/crossmint-chains.js";
import { chainUnavailable, parseChains } from "../src/core/chain/chains.js";

test("crossmintChainId: Crossmint's EVM names, exactly as written", () => {
  const rows: Array<[string, number | undefined]> = [
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
    // Not Crossmint's (or not as written).
    ["Base", undefined],
    ["base ", undefined],
    ["polygon-mumbai", undefined],
    ["solana", undefined],
    ["local", undefined],
    ["constructor", undefined],
    ["", undefined],
  ];
  for (const [name, id] of rows) assert.equal(crossmintChainId(name), id, name);
  const named = rows.filter(([, id]) => id !== undefined).length;
  assert.equal(CROSSMINT_EVM_CHAINS.size, named, "every name in the table has its row here");
});

test("every Crossmint name is a HERALD_CHAINS name that needs only an rpcUrl", () => {
  for (const [name, chainId] of CROSSMINT_EVM_CHAINS) {
    const [chain] = parseChains(
      JSON.stringify([{ name, rpcUrl: "https://rpc.example" }]),
      CHAIN_ADAPTERS,
    );
    assert.equal(chain!.chainId, chainId, name);
    assert.equal(chain!.family, "evm", name);
  }
});

test("chainUnavailable: configured, known to a family, or unknown", () => {
  const enable = (name: string) =>
    `chain "${name}" is not configured on this Herald: add {"name":"${name}","rpcUrl":"…"} to HERALD_CHAINS`;
  const rows: Array<[string, string[], string[], string | null]> = [
    // name, configured, known to a family, message
    ["local", ["local"], ["base"], null],
    ["base", ["local", "base"], ["base"], null],
    ["base", ["local"], ["base"], enable("base")],
    ["polygon-amoy", [], ["polygon-amoy"], enable("polygon-amoy")],
    ["devnet", ["local", "base"], ["base"], 'unknown chain "devnet"; known chains: local, base'],
    ["Base", ["local"], ["base"], 'unknown chain "Base"; known chains: local'],
    ["base", [], [], 'unknown chain "base"; known chains: none configured'],
  ];
  for (const [name, configured, known, message] of rows) {
    assert.equal(chainUnavailable(name, configured, known), message, `${name} in ${configured}`);
  }
});
