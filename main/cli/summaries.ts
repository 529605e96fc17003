// One line per command for `dockside --help`. Kept apart from the commands themselves so the overview
// loads none of them (and none of their dependencies): `dockside --help` stays a fast start.
export const SUMMARIES = {
  broker: 'run the embedded MQTT broker (aedes) and print its mqtt:// URL',
  sim: 'simulated devices of the other side: a DJI dock, vehicle OTA clients',
  hash: 'MD5, size and hashing time of firmware files (the app’s own hasher)',
  upgrade: 'upgrade a dock (and its aircraft) over the DJI Cloud API and follow it to the end',
  web: 'run the app in a browser: the UI, its WebSocket API and the ingest endpoints on one port',
  export: 'export the upgrade log of a data folder as CSV, JSON Lines or an HTML report',
} as const;

export type CommandName = keyof typeof SUMMARIES;
