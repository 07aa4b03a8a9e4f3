import { createHash, timingSafeEqual } from "node:crypto";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Checks `Authorization: Bearer <token>` against a configured token, in constant time (both
 * sides hashed to one length). */
export function bearerCheck(token: string): (authorization: string | undefined) => boolean {
  const expected = digest(token);
  return (authorization = "") => {
    const given = authorization.startsWith("Bearer ") ? authorization.slice(7) : "";
    return given !== "" && timingSafeEqual(digest(given), expected);
  };
}
