import { components as actions } from "./actions/schemas.js";
import { components as chains } from "./chains/schemas.js";
import { components as admin } from "./admin/schemas.js";
import { components as collections } from "./collections/schemas.js";
import { components as deliveries } from "./deliveries/schemas.js";
import { components as endpoints } from "./endpoints/schemas.js";
import { components as eventTypes } from "./event-types/schemas.js";
import { components as events } from "./events/schemas.js";
import { components as nfts } from "./nfts/schemas.js";
import { components as wallets } from "./wallets/schemas.js";
import { ORIGINAL_COMPONENTS } from "../original/schemas.js";
import { REWARD_COMPONENTS } from "../original/reward-schemas.js";
import { components as originalConsole } from "./original/schemas.js";
import { ErrorResponse } from "./shared.js";

/**
 * Every named schema (`named`, used through `ref`): registered once with the server, they are
 * the components of the OpenAPI document and the types the console imports.
 */
export const COMPONENTS = [
  ErrorResponse,
  ...endpoints,
  ...deliveries,
  ...events,
  ...eventTypes,
  ...actions,
  ...collections,
  ...nfts,
  ...chains,
  ...wallets,
  ...admin,
  ...ORIGINAL_COMPONENTS,
  ...REWARD_COMPONENTS,
  ...originalConsole,
];
