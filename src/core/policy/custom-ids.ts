// A caller's own id for a collection (PUT /collections/{id}) or an NFT's idempotency key (PUT
// …/nfts/{id}, a batch item's `id`): whatever Crossmint's examples use (`order.42`,
// `my-idempotency-key`, UUIDs), refused only when it cannot be one URL path segment.

export const MAX_CUSTOM_ID_LENGTH = 100;
const CONTROL = /\p{Cc}/u;

/** Why `id` cannot be used as `what`, or null when it can. */
export function customIdProblem(id: string, what: string): string | null {
  if (id.length === 0 || id.trim().length === 0) return `${what} must not be empty`;
  if ([...id].length > MAX_CUSTOM_ID_LENGTH)
    return `${what} must be at most ${MAX_CUSTOM_ID_LENGTH} characters`;
  if (id.includes("/") || id.includes("\\"))
    return `${what} must not contain '/' or '\\' (it is one segment of a URL path)`;
  if (id === "." || id === "..") return `${what} must not be "." or ".."`;
  if (CONTROL.test(id)) return `${what} must not contain control characters`;
  return null;
}
