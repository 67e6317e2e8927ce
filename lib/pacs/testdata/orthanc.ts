/**
 * A real Orthanc (Debian's `orthanc` + `orthanc-dicomweb`) for integration tests, benchmarks and browser specs:
 * a generated configuration (HTTP on a free loopback port in 18040-18049, remote access refused, basic-auth
 * credentials, DICOM listener off, storage in a fresh temp directory), started as a child process and stopped by
 * `stop()`. Node only; never a runtime dependency of the app.
 *
 * It fails loudly (throws) when Orthanc cannot start: `.ci/run` installs the packages, so a missing binary is a broken
 * CI machine, not a reason to skip.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const ORTHANC_BIN = "/usr/sbin/Orthanc";
export const DICOMWEB_PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";
/** The ports this project's tests may use (see docs: one range per engineer on the shared machine). */
export const ORTHANC_HTTP_PORTS = Array.from({ length: 10 }, (_, i) => 18040 + i);

export interface OrthancServer {
  /** e.g. http://127.0.0.1:18040 */
  url: string;
  /** DICOMweb root, e.g. http://127.0.0.1:18040/dicom-web */
  dicomWebUrl: string;
  username: string;
  password: string;
  port: number;
  dir: string;
  /** Orthanc's REST API with the test credentials. */
  rest(pathname: string, init?: RequestInit): Promise<Response>;
  /** Store Part 10 files through Orthanc's own REST upload (not through the code under test). */
  upload(files: Uint8Array[]): Promise<void>;
  /** SIGKILL the server (a PACS that disappears); `start` again with the same dir resumes its storage. */
  kill(): Promise<void>;
  /** Start again on the same port and storage after `kill`. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen({ port, host: "0.0.0.0", exclusive: true }, () => s.close(() => resolve(true)));
  });
}

export async function startOrthanc(
  opts: { username?: string; password?: string; ports?: number[] } = {},
): Promise<OrthancServer> {
  for (const f of [ORTHANC_BIN, DICOMWEB_PLUGIN]) {
    if (!existsSync(f))
      throw new Error(
        `Orthanc test server: ${f} missing; install it with \`apt-get install -y orthanc orthanc-dicomweb\` (.ci/run does)`,
      );
  }
  const username = opts.username ?? "nac-test";
  const password = opts.password ?? `pw-${Math.random().toString(36).slice(2)}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), "pacs-orthanc-"));
  const configFor = (httpPort: number) => ({
    Name: "nac-test",
    StorageDirectory: path.join(dir, "storage"),
    IndexDirectory: path.join(dir, "storage"),
    HttpPort: httpPort,
    // The DICOM (DIMSE) listener is off: the tests speak DICOMweb only.
    DicomServerEnabled: false,
    DicomPort: httpPort - 18040 + 14240,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: true,
    RegisteredUsers: { [username]: password },
    Plugins: [DICOMWEB_PLUGIN],
    DicomWeb: { Enable: true, Root: "/dicom-web/", StudiesMetadata: "Full", SeriesMetadata: "Full" },
    StableAge: 1,
    HttpCompressionEnabled: false,
  });
  const configFile = path.join(dir, "orthanc.json");
  let port = 0;
  let url = "";
  const auth = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  let child: ChildProcess | null = null;
  let log = "";

  const launch = async () => {
    log = "";
    child = spawn(ORTHANC_BIN, [configFile], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.on("data", (d) => (log += d));
    child.stderr?.on("data", (d) => (log += d));
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`Orthanc test server exited with code ${child.exitCode}:\n${log.slice(-2000)}`);
      try {
        const r = await fetch(`${url}/system`, { headers: { authorization: auth } });
        if (r.ok) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline)
        throw new Error(`Orthanc test server did not answer on ${url} within 20 s:\n${log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const waitExit = async () => {
    const c = child as ChildProcess | null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => c.once("exit", () => resolve()));
  };
  // Another process (the other database's test run, a colleague's) may take a port between the check and Orthanc's
  // bind: that Orthanc exits ("already in use") and the next free port is tried.
  for (const p of opts.ports ?? ORTHANC_HTTP_PORTS) {
    if (!(await portFree(p))) continue;
    writeFileSync(configFile, JSON.stringify(configFor(p), null, 1));
    url = `http://127.0.0.1:${p}`;
    try {
      await launch();
      port = p;
      break;
    } catch (e) {
      if (!/already in use/.test(log)) throw e;
    }
  }
  if (!port) throw new Error("Orthanc test server: no free port in 18040-18049");

  const rest = (pathname: string, init: RequestInit = {}) =>
    fetch(`${url}${pathname}`, { ...init, headers: { authorization: auth, ...(init.headers ?? {}) } });
  return {
    url,
    dicomWebUrl: `${url}/dicom-web`,
    username,
    password,
    port,
    dir,
    rest,
    async upload(files) {
      for (const f of files) {
        const r = await rest("/instances", {
          method: "POST",
          body: Buffer.from(f),
          headers: { "content-type": "application/dicom" },
        });
        if (!r.ok) throw new Error(`Orthanc upload failed: ${r.status} ${await r.text()}`);
      }
    },
    async kill() {
      (child as ChildProcess | null)?.kill("SIGKILL");
      await waitExit();
    },
    async restart() {
      await launch();
    },
    async stop() {
      (child as ChildProcess | null)?.kill("SIGTERM");
      await waitExit();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
