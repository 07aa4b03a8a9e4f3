// Node's process metrics (CPU, memory, GC, event-loop lag) and the events this process wrote:
// collected once per process, shown by every Herald running in it. Per Herald they would add an
// event-loop monitor and a GC observer each, which a process starting many Heralds (the tests)
// would pay for until it exits.
import { Registry, collectDefaultMetrics } from "prom-client";
import { eventsWritten } from "./events-written.js";

let shared: Registry | null = null;

export function processRegistry(): Registry {
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared });
    shared.registerMetric(eventsWritten);
  }
  return shared;
}
