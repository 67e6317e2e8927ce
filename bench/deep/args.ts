/** Command-line options of the deep benchmarks: `--name value` and `--flag`. */
import { parseDepth, type Depth } from "../../lib/deep/architecture";

export const args = process.argv.slice(2);

/** The value after `--name`, else `dflt`. */
export function opt(name: string, dflt: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
}

/** `--depths 10,18` (default all four ResNet depths). */
export function depthsOpt(): Depth[] {
  return opt("depths", "10,18,34,50")
    .split(",")
    .map((d) => parseDepth(d));
}
