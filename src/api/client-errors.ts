// Requests Node's HTTP parser refuses before any route runs (headers over 16 KB, malformed
// requests, a client too slow to send its headers) get the same `{error: true, message}` body
// as every other failure, and `Connection: close`, so a keep-alive client knows not to send
// its next request on this connection.
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";

const ANSWERS: Record<string, { status: number; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, message: "the request's headers are larger than 16 KB" },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: "the request was not sent in time" },
};
const MALFORMED = { status: 400, message: "the request is not valid HTTP" };

/** The raw HTTP answer to a refused request. */
export function clientErrorResponse(code: string | undefined): string {
  const { status, message } = (code && ANSWERS[code]) || MALFORMED;
  const body = JSON.stringify({ error: true, message });
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    `Connection: close\r\n\r\n${body}`
  );
}

export function handleClientError(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  if (socket.writable) socket.end(clientErrorResponse(error.code));
  else socket.destroy();
}
