// Crossmint's clients send what its documentation shows; Herald takes it as Crossmint does
// (docs/compatibility.md): a documented URL with a trailing slash is the same route, and a
// JSON content type with no body (a `DELETE` from a client that always sets the header) is a
// request without a body.
import type { FastifyInstance } from "fastify";
import { API_PREFIX, WALLETS_API_PREFIX } from "./paths.js";

/** `/api/2022-06-09/collections/` → `/api/2022-06-09/collections` (query kept), and likewise
 * under `/api/v1-alpha1`; others as sent. */
export function withoutTrailingSlash(url: string): string {
  const query = url.indexOf("?");
  const path = query < 0 ? url : url.slice(0, query);
  const versioned = [API_PREFIX, WALLETS_API_PREFIX].some((prefix) =>
    path.startsWith(prefix + "/"),
  );
  if (!versioned || !path.endsWith("/")) return url;
  return path.replace(/\/+$/, "") + (query < 0 ? "" : url.slice(query));
}

/** JSON bodies as Fastify parses them (prototype poisoning refused), an empty one as none. */
export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    if (body === "") return done(null, undefined);
    parseJson(request, body as string, done);
  });
}
