import { UsageError, UserError, type Command } from './command';
import { brokerCommand } from './broker-command';
import { simCommand } from './sim-command';
import { hashCommand } from './hash-command';
import { upgradeCommand } from './upgrade-command';
import { webCommand } from './web-command';
import { exportCommand } from './export-command';

const COMMANDS: Command[] = [brokerCommand, simCommand, hashCommand, upgradeCommand, webCommand, exportCommand];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: dockside <command> [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "dockside <command> --help" for the options of one command.',
  ].join('\n');
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
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`dockside: unknown command "${name}" (try dockside --help)\n`);
    return 2;
  }
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
