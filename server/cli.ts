// `kpl` — the Kernel Patch Lens engine without an editor. Each subcommand lives in
// server/commands/; this file only dispatches and turns errors into exit codes:
// 0 success (findings are not errors), 2 unusable input (one line on stderr), 1 internal error.
import { UsageError } from './commands/args';

type Command = (argv: string[]) => Promise<void>;

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  review: { summary: 'review PATCH|- [--tree DIR] [--format text|json|sarif] [--depth N] [--race] [--cache DIR] [--overrides FILE]', load: async () => (await import('./commands/review')).run },
  index: { summary: 'index DIR [--cache DIR] [--max-file-size BYTES] [--workers N]', load: async () => (await import('./commands/index')).run },
  callers: { summary: 'callers FUNC --tree DIR [--format text|json] [--cache DIR]', load: async () => (await import('./commands/callers')).run },
};

function usage(): string {
  return ['usage: kpl <command> ...', ...Object.values(commands).map((c) => `  kpl ${c.summary}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') { console.log(usage()); return name ? 0 : 2; }
  const command = commands[name];
  if (!command) { console.error(`kpl: unknown command "${name}"\n${usage()}`); return 2; }
  try {
    await (await command.load())(rest);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) { console.error(`kpl ${name}: ${e.message}`); return 2; }
    console.error(`kpl ${name}: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
