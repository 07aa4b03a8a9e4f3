// What the Redis the baseline ran against keeps on disk, as reported beside its figures.
import type { Queue } from "bullmq";

export interface RedisDurability {
  version: string;
  /** CONFIG GET save: "" means no RDB snapshots; null when CONFIG is not allowed. */
  save: string | null;
  appendonly: string | null;
  appendfsync: string | null;
  /** Whether an acknowledged enqueue survives a Redis crash (AOF with fsync always). */
  durable: boolean;
}

export async function redisDurability(queue: Queue): Promise<RedisDurability> {
  const client = await queue.getBackend().client;
  const info = await client.info();
  const version = /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
  const config = async (name: string): Promise<string | null> => {
    try {
      const reply = (await client.runCommand("config", ["GET", name])) as string[];
      return reply[1] ?? null;
    } catch {
      return null; // managed Redis often disables CONFIG
    }
  };
  const [save, appendonly, appendfsync] = await Promise.all([
    config("save"),
    config("appendonly"),
    config("appendfsync"),
  ]);
  return {
    version,
    save,
    appendonly,
    appendfsync,
    durable: appendonly === "yes" && appendfsync === "always",
  };
}

export function durabilityNote(redis: RedisDurability): string {
  if (redis.durable) return "Redis with AOF, appendfsync always: durable enqueues";
  if (redis.appendonly === "yes") {
    return `Redis with AOF, appendfsync ${redis.appendfsync}: a crash can lose the last writes`;
  }
  const rdb = redis.save ? `RDB snapshots "${redis.save}" only` : "nothing on disk";
  return (
    `measured WITHOUT durable storage (Redis: ${rdb}; appendonly ${redis.appendonly ?? "?"}), ` +
    "which favours the baseline; production BullMQ needs AOF with fsync"
  );
}
