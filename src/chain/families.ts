// The chain families Herald runs. Adding one is a folder beside evm/ and a line here.
import type { ChainAdapter } from "../core/ports/chain-adapter.js";
import { evmAdapter } from "./evm/adapter.js";
import { solanaAdapter } from "./solana/adapter.js";

export const CHAIN_ADAPTERS: readonly ChainAdapter[] = [evmAdapter, solanaAdapter];
