import type { AllowList } from "../core/ssrf-policy.js";
import type { Destination } from "./destination.js";
import { HttpsDestination } from "./https.js";

// The one place that knows every destination type: a new type is its own file plus a line here.

export class DestinationRegistry {
  private readonly byType = new Map<string, Destination>();

  constructor(allow: AllowList) {
    for (const destination of [new HttpsDestination(allow)])
      this.byType.set(destination.type, destination);
  }

  /** Endpoints are URLs for now: http(s) URLs go to the HTTPS destination. */
  forTarget(target: string): Destination {
    const type = /^https?:/i.test(target) ? "https" : target.split(":")[0]!;
    const destination = this.byType.get(type);
    if (!destination) throw new Error(`no destination for ${type}`);
    return destination;
  }

  async close(): Promise<void> {
    await Promise.all([...this.byType.values()].map((d) => d.close()));
  }
}
