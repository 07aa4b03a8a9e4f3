// Original's authentication: `X-Api-Key` names the key pair, `Authorization: Bearer <JWT>`
// proves the caller holds its secret (HS256). Original's SDKs sign `{user_id, resource, action}`
// with `"*"` (JS and Python add `api_key`, .NET an `exp` of an hour): the signature is required,
// `exp` honoured when present, an `api_key` claim must name the key sent.
import type { FastifyReply, FastifyRequest } from "fastify";
import { errors as joseErrors, jwtVerify } from "jose";
import type { OriginalKeys } from "../../core/original/keys.js";
import { sendOriginalError } from "./errors.js";

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function tokenProblem(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired)
    return "the access token has expired (its exp is past)";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return "the access token's signature does not match: sign it with this API key's secret";
  if (error instanceof joseErrors.JOSEAlgNotAllowed)
    return "the access token must be signed with HS256";
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `the access token's ${error.claim} claim is not valid`;
  return "the access token is malformed: send a JWT signed with HS256";
}

export function requireOriginalAuth(keys: OriginalKeys) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const apiKey = request.headers["x-api-key"];
    if (typeof apiKey !== "string" || apiKey === "")
      return sendOriginalError(
        reply,
        401,
        "missing API key: send it in the X-Api-Key header",
        "not_authenticated",
      );
    const authorization = request.headers.authorization;
    const token = typeof authorization === "string" ? BEARER.exec(authorization)?.[1] : undefined;
    if (!token)
      return sendOriginalError(
        reply,
        401,
        "missing access token: send Authorization: Bearer <JWT signed with the API secret>",
        "not_authenticated",
      );
    const found = apiKey.length <= 200 ? await keys.find(apiKey) : null;
    if (!found) return sendOriginalError(reply, 401, "invalid API key", "not_authenticated");
    try {
      const { payload } = await jwtVerify(token, found.secret, { algorithms: ["HS256"] });
      if (payload.api_key !== undefined && payload.api_key !== apiKey)
        return sendOriginalError(
          reply,
          401,
          "the access token was made for another API key (its api_key claim)",
          "not_authenticated",
        );
    } catch (error) {
      return sendOriginalError(reply, 401, tokenProblem(error), "not_authenticated");
    }
    request.projectId = found.projectId;
  };
}
