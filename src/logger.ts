import { pino, type Logger } from "pino";

/** Structured logs; credentials are redacted wherever they appear in a logged request. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "herald" },
    // A request's path without its query: clients put credentials there (Original's Python
    // SDK sends api_key and api_secret as query parameters on every call).
    serializers: {
      req: (req: { method?: string; url?: string; id?: string }) => ({
        method: req.method,
        url: pathOf(req.url),
        ...(req.id !== undefined ? { id: req.id } : {}),
      }),
    },
    redact: {
      paths: [
        'req.headers["x-api-key"]',
        "req.headers.authorization",
        'req.headers["idempotency-key"]',
        "secret",
        "*.secret",
        "apiKey",
        "*.apiKey",
      ],
      censor: "[redacted]",
    },
  });
}

/** A URL's path, its query left out. */
export function pathOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}
