// Events written by this process, counted where both stores write every event
// (insertEventWithDeliveries). Process-wide: a metric every Herald's registry shows.
import { Counter } from "prom-client";

export const eventsWritten = new Counter({
  name: "herald_events_published_total",
  help: "Events written by this process (published through the API, by chain work, or operational); a transaction rolled back after the write may count",
  registers: [],
});
