import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { sendError } from "./errors.js";

// The console is a static single-page app (console/, built by Vite into dist/console) that
// talks to Herald only through the public API. Served from the same origin, so the API key it
// holds never crosses to another site.

/** dist/console, from src/api/ (tests, tsx) and from dist/api/ (a build) alike. */
export const CONSOLE_DIR = fileURLToPath(new URL("../../dist/console", import.meta.url));

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

export async function consoleRoutes(app: FastifyInstance, { dir = CONSOLE_DIR } = {}) {
  const built = existsSync(`${dir}/index.html`);
  app.get("/console", { schema: { hide: true } }, (_request, reply) => reply.redirect("/console/"));
  if (!built) {
    app.get("/console/*", { schema: { hide: true } }, (_request, reply) =>
      sendError(reply, 404, "the console is not built: run npm run build:console"),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: "/console/",
    index: ["index.html"],
    wildcard: false,
    // Vite names assets by content hash: they never change under the same name.
    setHeaders: (res, path) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.header(name, value);
      res.header(
        "cache-control",
        path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
      );
    },
  });
  // Deep links (/console/endpoints/…) are the app's routes: they get index.html.
  app.get("/console/*", { schema: { hide: true } }, (request, reply) => {
    const path = request.url.split("?")[0]!;
    if (/\.[a-z0-9]+$/i.test(path)) return sendError(reply, 404, `no file ${path}`);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    return reply.header("cache-control", "no-cache").sendFile("index.html");
  });
}
