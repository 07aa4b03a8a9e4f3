// A webhook receiver for trying Herald out: prints each delivery and checks its signature.
// Usage: WEBHOOK_SECRET=whsec_... node examples/receiver.mjs [port]
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

const port = Number(process.argv[2] ?? 9000);
const secret = process.env.WEBHOOK_SECRET;

function verify(headers, body) {
  if (!secret) return "no WEBHOOK_SECRET set: not checked";
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signed = `${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body}`;
  const expected = createHmac("sha256", key).update(signed).digest();
  const ok = String(headers["webhook-signature"] ?? "")
    .split(" ")
    .some((entry) => {
      const given = Buffer.from(entry.replace(/^v1,/, ""), "base64");
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  return ok ? "valid" : "INVALID";
}

createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    const h = req.headers;
    console.log(
      `${h["webhook-id"]} attempt ${h["x-webhook-attempt"]}  signature ${verify(h, body)}`,
    );
    console.log(body, "\n");
    res.writeHead(200).end();
  });
}).listen(port, "127.0.0.1", () => console.log(`receiving on http://127.0.0.1:${port}/`));
