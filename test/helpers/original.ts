// A client of Herald's Original API as Original's SDKs are (original-js tokenManager.ts,
// original-python client.py): `X-API-KEY` and an HS256 token of `{resource, action, user_id}`
// with `api_key`; and the Standard Webhooks check every delivery passes.
import { SignJWT, type JWTPayload } from "jose";
import { Webhook } from "standardwebhooks";
import { apiClient, TEST_ORIGINAL, type ApiResponse } from "./herald.js";
import type { ReceivedRequest } from "./receiver.js";

export type OriginalPair = typeof TEST_ORIGINAL;

/** An access token as the JS and Python SDKs make it; `edit` changes it (an exp, say). */
export function sdkToken(
  pair: OriginalPair = TEST_ORIGINAL,
  claims: JWTPayload = { resource: "*", action: "*", user_id: "*", api_key: pair.apiKey },
  edit: (jwt: SignJWT) => SignJWT = (jwt) => jwt,
): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" });
  return edit(jwt).sign(new TextEncoder().encode(pair.apiSecret));
}

export type OriginalClient = (method: string, path: string, body?: unknown) => Promise<ApiResponse>;

/** Requests under /original/v1 of the Herald at `baseUrl()` (read at each request, so a client
 * can be made before Herald starts), with the headers `headers` gives for each. */
export function originalClient(
  baseUrl: () => string,
  headers: () => Promise<Record<string, string>>,
): OriginalClient {
  return async (method, path, body) =>
    apiClient(baseUrl(), null)(method, `//original/v1${path}`, body, await headers());
}

/** The SDKs' client: the pair's key and a token signed with its secret. */
export function sdkClient(
  baseUrl: () => string,
  pair: OriginalPair = TEST_ORIGINAL,
  token: () => Promise<string> = () => sdkToken(pair),
): OriginalClient {
  return originalClient(baseUrl, async () => ({
    "X-API-KEY": pair.apiKey,
    Authorization: `Bearer ${await token()}`,
  }));
}

/** The delivery's body, verified with `standardwebhooks` (throws when the signature is wrong). */
export function verifiedWebhook(req: ReceivedRequest, secret: string): any {
  return new Webhook(secret).verify(req.body, {
    "webhook-id": String(req.headers["webhook-id"]),
    "webhook-timestamp": String(req.headers["webhook-timestamp"]),
    "webhook-signature": String(req.headers["webhook-signature"]),
  });
}
