// Where Crossmint's API lives on Herald: the same versioned prefix, so a client changes only the host.
export const API_PREFIX = "/api/2022-06-09";
/** Crossmint's custodial wallet API (create a wallet, list an owner's) is of another version. */
export const WALLETS_API_PREFIX = "/api/v1-alpha1";
export const ORIGINAL_PREFIX = "/original/v1";
