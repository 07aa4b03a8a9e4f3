// A Crossmint-format webhook the receiver got, found by type and action and verified with
// `svix`, as Crossmint tells its users to verify them.
import { Webhook } from "svix";
import { eventually } from "./herald.js";
import type { Receiver, ReceivedRequest } from "./receiver.js";

export async function svixWebhook(
  { receiver, secret }: { receiver: Receiver; secret: string },
  type: string,
  actionId: string,
  // Generous: only guards against a hang on a busy machine.
  timeoutMs = 120_000,
): Promise<{ request: ReceivedRequest; body: any }> {
  const found = (r: ReceivedRequest) => r.json?.type === type && r.json?.actionId === actionId;
  const request = await eventually(() => receiver.requests.find(found)!, {
    timeoutMs,
    message: `${type} of ${actionId}`,
  });
  const body = new Webhook(secret).verify(request.body, {
    "svix-id": String(request.headers["svix-id"]),
    "svix-timestamp": String(request.headers["svix-timestamp"]),
    "svix-signature": String(request.headers["svix-signature"]),
  });
  return { request, body };
}
