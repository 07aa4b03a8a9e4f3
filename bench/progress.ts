import { SingleBar, Presets } from "cli-progress";

/** A progress bar on stderr, so the report on stdout stays clean. */
export function bar(label: string, total: number): SingleBar {
  const b = new SingleBar(
    {
      format: `${label.padEnd(22)} {bar} {value}/{total} {duration_formatted}`,
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  b.start(total, 0);
  return b;
}
