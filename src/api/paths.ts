// Where Crossmint's API lives on Herald: the same versioned prefix, so a client changes only the host.
export const API_PREFIX = "/api/2022-06-09";
