// What Original's payloads say of the app (a Herald project) and of a chain.
import type { ActionStatus, Project } from "../interfaces.js";

/** Original's status of an operation from its action's (`succeeded` is Original's `done`). */
export function originalStatus(status: ActionStatus): "pending" | "done" | "failed" {
  return status === "succeeded" ? "done" : status;
}

/** `data.app` of every Original event: the project, as an Original app. */
export function appOf(project: Project) {
  return {
    uid: project.id,
    name: project.name,
    region: project.region,
    environment: project.environment,
  };
}

/** Original's network names for the chains Crossmint names; another chain is named as given. */
const NETWORKS: Record<string, string> = {
  ethereum: "Mainnet",
  "ethereum-sepolia": "Sepolia",
  polygon: "Polygon",
  "polygon-amoy": "Amoy",
  base: "Base",
  "base-sepolia": "Base Sepolia",
  arbitrum: "Arbitrum",
  "arbitrum-sepolia": "Arbitrum Sepolia",
  optimism: "Optimism",
  "optimism-sepolia": "Optimism Sepolia",
  local: "Local",
};

export function networkOf(chain: string): string {
  return NETWORKS[chain] ?? chain;
}
