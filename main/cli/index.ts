// `dockside`: the overview and the dispatch. A command's module (and what it pulls in: aedes, mqtt.js, the
// core) is loaded only when that command runs, so `dockside --help` and `dockside hash` start fast.
import { type Command } from './command';
import { UsageError, UserError } from '../app/user-errors';
import { SUMMARIES, type CommandName } from './summaries';

const COMMANDS: Record<CommandName, () => Promise<Command>> = {
  broker: async () => (await import('./broker-command')).brokerCommand,
  sim: async () => (await import('./sim-command')).simCommand,
  hash: async () => (await import('./hash-command')).hashCommand,
  upgrade: async () => (await import('./upgrade-command')).upgradeCommand,
  web: async () => (await import('./web-command')).webCommand,
  export: async () => (await import('./export-command')).exportCommand,
};

const NAMES = Object.keys(SUMMARIES) as CommandName[];

function overview(): string {
  const width = Math.max(...NAMES.map((n) => n.length));
  return ['Usage: dockside <command> [options]', '', ...NAMES.map((n) => `  ${n.padEnd(width)}  ${SUMMARIES[n]}`), '', 'Run "dockside <command> --help" for the options of one command.'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write('dockside: no command given (try dockside --help)\n');
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overview() + '\n');
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    process.stderr.write(`dockside: unknown command "${name}" (try dockside --help)\n`);
    return 2;
  }
  const command = await COMMANDS[name as CommandName]();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.usage.trimEnd() + '\n');
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`dockside ${name}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof UserError) {
      process.stderr.write(`dockside ${name}: ${e.message}\n`);
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(`dockside ${name}: ${err.message ?? String(e)}\n`);
    if (process.env.DOCKSIDE_DEBUG) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
