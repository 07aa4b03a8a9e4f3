import { describe } from "node:test";
import { actionsContract } from "./store-contract-actions.js";
import { activityContract } from "./store-contract-activity.js";
import { chainContract } from "./store-contract-chain.js";
import { deliveriesContract } from "./store-contract-deliveries.js";
import { endpointsContract } from "./store-contract-endpoints.js";
import { eventsContract } from "./store-contract-events.js";
import { masterKeyContract } from "./store-contract-master-key.js";
import { outcomesContract } from "./store-contract-outcomes.js";
import { projectsContract } from "./store-contract-projects.js";
import { queueContract } from "./store-contract-queue.js";
import { rewardsContract } from "./store-contract-rewards.js";
import { walletsContract } from "./store-contract-wallets.js";
import { storeTest, type DropStore, type MakeStore } from "./store-fixtures.js";

/**
 * The contract every Store implementation passes. Tests go through the Store interface only.
 * `makeStore` returns a fresh, empty store, not yet migrated (each test calls `migrate()`) or
 * migrated with what that applied (FreshStore); `dropStore` closes it and removes whatever it
 * created.
 */
export function storeContract(
  name: string,
  makeStore: MakeStore,
  dropStore: DropStore,
  /** Tests at once: each has a store of its own (a server store's tests overlap its latency). */
  concurrency = 1,
): void {
  const test = storeTest(makeStore, dropStore);
  describe(name, { concurrency }, () => {
    projectsContract(test);
    endpointsContract(test);
    eventsContract(test);
    deliveriesContract(test);
    queueContract(test);
    outcomesContract(test);
    activityContract(test);
    actionsContract(test);
    chainContract(test);
    walletsContract(test);
    rewardsContract(test);
    masterKeyContract(test);
  });
}
