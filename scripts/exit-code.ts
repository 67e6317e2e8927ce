import os from "node:os";

/**
 * `npm start`'s exit status from its server's: the server's own code, else 128 + the signal's number (as a shell
 * reports it) so that a server killed by SIGKILL (or the OOM killer) is a failure a supervisor restarts. Only a stop
 * we forwarded ourselves (SIGINT/SIGTERM received by `npm start`) is a clean 0.
 */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null, stopping: boolean): number {
  if (code !== null) return code;
  if (signal && stopping && (signal === "SIGINT" || signal === "SIGTERM")) return 0;
  return 128 + (signal ? (os.constants.signals[signal] ?? 0) : 1);
}
