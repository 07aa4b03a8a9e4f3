// Which collection an event is about, for destinations that group by it (SQS FIFO queues).
// Crossmint payloads name it as data.collection.id or in the resource URL; Original's as
// data.collection.uid.

const RESOURCE_COLLECTION = /\/collections\/([^/?#]+)/;

export function collectionOf(payload: string): string | null {
  let body: { data?: { collection?: { id?: unknown; uid?: unknown } }; resource?: unknown };
  try {
    body = JSON.parse(payload) as typeof body;
  } catch {
    return null;
  }
  const collection = body?.data?.collection;
  if (typeof collection?.id === "string" && collection.id !== "") return collection.id;
  if (typeof collection?.uid === "string" && collection.uid !== "") return collection.uid;
  if (typeof body?.resource === "string") {
    const match = RESOURCE_COLLECTION.exec(body.resource);
    if (match) {
      try {
        return decodeURIComponent(match[1]!);
      } catch {
        return match[1]!; // bad percent-encoding: the segment as written
      }
    }
  }
  return null;
}
