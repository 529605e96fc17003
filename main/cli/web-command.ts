import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DjiLicenceSchema, type DjiLicence } from '../../preload/api';
import { createAppCore, type AppCore, type AppCoreOptions } from '../app/app-core';
import { createDeferredBackend } from '../host/deferred-backend';
import { startWebServer } from '../host/web-server';
import { redactBrokerUrl } from '../../wire/broker-url';
import { ensureDataDir, resolveDataDir } from '../journal/data-dir';
import { JournalError } from '../journal/journal-error';
import { INGEST_TOKEN_ENV, ingestTokenProblem, MIN_INGEST_TOKEN_LENGTH } from '../ingest/bearer-token';
import { isLoopbackHost } from '../host/request-origin';
import { intOption, mqttUrlOption, parse, type Command } from './command';
import { UsageError, UserError } from '../app/user-errors';
import { SUMMARIES } from './summaries';
import { TIME_LIMIT_FLAGS, TIME_LIMIT_USAGE, timeLimitOptions, type TimeLimits } from './time-limit-options';
import { ensureRendererBuilt } from './renderer-build';
import { waitForSignal } from './signals';

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

export interface WebHostOptions {
  host: string;
  port: number;
  dataDir: string;
  brokerUrl?: string;
  serveHost?: string;
  /** Bearer token vehicles must send to the ingest routes; required when `host` is beyond loopback. */
  ingestToken?: string;
  /** The DJI licence from flags or the environment; kept in the data folder, never printed. */
  djiLicence?: DjiLicence;
  /** How long a dock may be silent, reboot and take to show its new version; the defaults otherwise. */
  limits?: TimeLimits;
  rendererDir?: string;
  /** One line of output (the URL lines); stdout by default. */
  print?: (line: string) => void;
}

export interface WebHost {
  url: string;
  port: number;
  brokerUrl: string;
  close: () => Promise<void>;
}

type CoreFactory = (opts: AppCoreOptions) => Promise<Pick<AppCore, 'handle' | 'subscribe' | 'httpHandler' | 'close' | 'setHttpUrl'>>;

const INGEST_ROUTE = /^\/(events|ingest\/)/;

function listenError(e: unknown, host: string, port: number): UserError {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE') return new UserError(`port ${port} on ${host} is already in use (try --port 0)`);
  if (err.code === 'EADDRNOTAVAIL') return new UserError(`${host} is not an address of this machine`);
  if (err.code === 'EACCES') return new UserError(`not allowed to listen on port ${port} (try a port above 1023)`);
  return new UserError(err.message);
}

/** Starts the web server first (so `/` answers at once), then the core behind it. */
export async function runWebHost(options: WebHostOptions, createCore: CoreFactory = createAppCore): Promise<WebHost> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  if (options.ingestToken !== undefined) {
    const problem = ingestTokenProblem(options.ingestToken);
    if (problem) throw new UsageError(`--ingest-token ${problem}`);
  } else if (!isLoopbackHost(options.host)) {
    throw new UsageError(`--host ${options.host} opens the vehicle ingest to the network: give it a token with --ingest-token (or $${INGEST_TOKEN_ENV})`);
  }
  try {
    ensureDataDir(options.dataDir);
  } catch (e) {
    throw e instanceof JournalError ? new UserError(e.message) : e;
  }
  const backend = createDeferredBackend();
  let core: Awaited<ReturnType<CoreFactory>> | undefined;
  const extraHandler = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (core) return core.httpHandler(req, res);
    if (!INGEST_ROUTE.test((req.url ?? '').split('?')[0] ?? '')) return false;
    req.resume();
    res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '1' });
    res.end(JSON.stringify({ error: 'Dockside is still starting; try again in a second' }));
    return true;
  };
  let server;
  try {
    server = await startWebServer({
      host: options.host,
      port: options.port,
      backend,
      rendererDir: options.rendererDir ?? DEFAULT_RENDERER_DIR,
      uploadDir: join(options.dataDir, 'uploads'),
      extraHandler,
    });
  } catch (e) {
    throw listenError(e, options.host, options.port);
  }
  print(`Dockside web host: ${server.url}`);
  try {
    core = await createCore({
      dataDir: options.dataDir,
      brokerUrl: options.brokerUrl,
      host: 'web',
      serveHost: options.serveHost,
      ingestToken: options.ingestToken,
      ...(options.limits ? { timings: options.limits } : {}),
      ...(options.djiLicence ? { djiLicence: options.djiLicence } : {}),
    });
  } catch (e) {
    const reason = (e as Error).message ?? String(e);
    backend.failed(reason);
    await server.close();
    throw new UserError(`could not start: ${reason}`);
  }
  core.setHttpUrl(server.url.replace(/\/$/, ''));
  backend.ready(core);
  const status = await core.handle('connection.get', {});
  const brokerUrl = status.embeddedBrokerUrl ?? (status.url || redactBrokerUrl(options.brokerUrl ?? ''));
  print(`broker: ${brokerUrl}`);
  // With the built-in broker, what the technician types into a dock: one line per LAN address. This
  // line shows the dock login on purpose; the DJI licence is never printed.
  if (status.embeddedBrokerUrl && status.url === status.embeddedBrokerUrl) {
    const access = await core.handle('dockAccess.get', {});
    for (const url of access.dockUrls) print(`dock login: ${url} username ${access.dockLogin.username} password ${access.dockLogin.password}`);
  }
  const started = core;
  return {
    url: server.url,
    port: server.port,
    brokerUrl,
    async close() {
      await server.close();
      await started.close();
    },
  };
}

/** All three parts of the licence, or none; a bad one is named by its field, never echoed. */
export function licenceOption(appId: string | undefined, appKey: string | undefined, appLicense: string | undefined): DjiLicence | undefined {
  const given = [appId, appKey, appLicense].filter((v) => v !== undefined && v !== '');
  if (given.length === 0) return undefined;
  if (given.length !== 3) throw new UsageError('--dji-app-id, --dji-app-key and --dji-app-license go together: give all three');
  const parsed = DjiLicenceSchema.safeParse({ appId, appKey, appLicense });
  if (!parsed.success) throw new UsageError(`the DJI licence: ${parsed.error.issues[0]?.message ?? 'not valid'}`);
  return parsed.data;
}

export const webCommand: Command = {
  name: 'web',
  summary: SUMMARIES.web,
  usage: `Usage: dockside web [--port 8080] [--host 127.0.0.1] [--broker URL] [--data DIR] [--serve-host HOST]
                    [--ingest-token T] [--dji-app-id ID --dji-app-key KEY --dji-app-license LICENSE]
                    [--timeout SECONDS] [--reboot-timeout SECONDS] [--verify-timeout SECONDS]

Serves the Dockside user interface, its API (WebSocket at /api/ws), firmware upload and the vehicle
ingest endpoints (POST /events, /ingest/<protocol>) on one port. Prints the page's URL, then the
broker's, then (with the built-in broker) one line per LAN address with what a dock is given:
"dock login: mqtt://HOST:PORT username USER password PASS". Runs until Ctrl-C / SIGTERM. The API and
uploads answer only the window this host served (its exact origin and a session token written into
that page, new at every start).

  --port N          TCP port (default 8080; 0 picks a free port)
  --host ADDR       address to bind (default 127.0.0.1; 0.0.0.0 to open it to the LAN, which needs
                    --ingest-token)
  --broker URL      the gateway's MQTT broker (mqtt://, mqtts://, ws://, wss://); without it the
                    embedded broker runs (on 1883, or a free port when 1883 is taken)
  --data DIR        journal and settings (default: $DOCKSIDE_DATA, else the OS app-data folder)
  --serve-host HOST address docks download firmware from (default: chosen per dock: this machine's
                    address on the dock's network, or on the way to the site broker)
  --ingest-token T  vehicles must send "Authorization: Bearer T" to the ingest endpoints (at least
                    ${MIN_INGEST_TOKEN_LENGTH} characters; default: $${INGEST_TOKEN_ENV}); required beyond loopback
  --dji-app-id ID   the DJI Cloud API app a dock checks its cloud against, with --dji-app-key and
  --dji-app-key KEY --dji-app-license (all three, or none); also $DOCKSIDE_DJI_APP_ID,
  --dji-app-license LICENSE  $DOCKSIDE_DJI_APP_KEY, $DOCKSIDE_DJI_APP_LICENSE. Kept in the data folder
                    (readable by you only) for the next start; never printed.
${TIME_LIMIT_USAGE}`,
  async run(argv) {
    const { values } = parse(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      broker: { type: 'string' },
      data: { type: 'string' },
      'serve-host': { type: 'string' },
      'ingest-token': { type: 'string' },
      'dji-app-id': { type: 'string' },
      'dji-app-key': { type: 'string' },
      'dji-app-license': { type: 'string' },
      ...TIME_LIMIT_FLAGS,
    });
    const djiLicence = licenceOption(
      values['dji-app-id'] ?? process.env.DOCKSIDE_DJI_APP_ID,
      values['dji-app-key'] ?? process.env.DOCKSIDE_DJI_APP_KEY,
      values['dji-app-license'] ?? process.env.DOCKSIDE_DJI_APP_LICENSE,
    );
    const port = intOption(values.port, 'port', 8080, 0, 65535);
    const brokerUrl = values.broker === undefined ? undefined : mqttUrlOption(values.broker);
    // Listening before startup ends, so a SIGTERM during it still ends in a clean exit.
    const signal = waitForSignal();
    await ensureRendererBuilt(DEFAULT_RENDERER_DIR, (line) => process.stderr.write(`${line}\n`));
    const host = await runWebHost({
      host: values.host ?? '127.0.0.1',
      port,
      dataDir: resolveDataDir(values.data),
      brokerUrl,
      serveHost: values['serve-host'],
      ingestToken: values['ingest-token'] ?? (process.env[INGEST_TOKEN_ENV] || undefined),
      limits: timeLimitOptions(values),
      ...(djiLicence ? { djiLicence } : {}),
    });
    await signal;
    await host.close();
    return 0;
  },
};
