// The misbehaving neighbours as a process of their own (see startNeighboursProcess): prints the
// bodies of $NEIGHBOURS endpoints as one JSON line, and stops when its stdin closes.
import { startNeighbours } from "./neighbours.js";

const neighbours = await startNeighbours();
process.stdout.write(JSON.stringify(neighbours.endpoints(Number(process.env.NEIGHBOURS))) + "\n");
process.stdin.resume();
process.stdin.on("end", () => {
  void neighbours.close().then(() => process.exit(0));
});
