// One entry of the event catalog: a type, what it means, and example bodies.

export interface EventTypeInfo {
  name: string;
  family: "crossmint" | "chain-observed" | "operational";
  description: string;
  /** `label` names the variant: "EVM", "Solana", or "default". */
  examples: Array<{ label: string; body: Record<string, unknown> }>;
}
