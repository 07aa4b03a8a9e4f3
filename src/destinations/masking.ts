// How credentials appear in API answers: enough to recognise which one is set, never usable.

/** `AKIA…WXYZ`-style: the last four characters after a fixed mask; short values fully masked. */
export function maskCredential(value: string): string {
  return value.length > 8 ? `****${value.slice(-4)}` : "****";
}

/** A URL with its password replaced, e.g. amqp://user:****@host/vhost. */
export function maskUrlPassword(text: string): string {
  try {
    const url = new URL(text);
    if (url.password === "") return text;
    url.password = "****";
    return url.toString();
  } catch {
    return "****";
  }
}
