import { type CommandDef, renderUsage, runCommand } from 'citty'
import { errorMessage, UsageError } from '../core/errors.js'
import { VERSION } from '../core/version.js'

/** Every command, by name. Each module default-exports a citty command whose run() returns the exit code. */
const COMMANDS: Record<
  string,
  { description: string; load: () => Promise<{ default: CommandDef<any> }> }
> = {
  scan: {
    description: 'inventory + all static layers over files, dirs, archives, SBOM files',
    load: () => import('./commands/scan.js'),
  },
  sbom: {
    description: 'inventory only, as CycloneDX 1.6 JSON or SPDX 2.3 JSON',
    load: () => import('./commands/sbom.js'),
  },
  diff: {
    description: 'release differential analysis of two versions of a product',
    load: () => import('./commands/diff.js'),
  },
  net: {
    description: 'network layer over Zeek / Suricata eve / DNS / proxy logs',
    load: () => import('./commands/net.js'),
  },
  intel: {
    description: 'list | show | import | verify | update | export the intel store',
    load: () => import('./commands/intel.js'),
  },
}

function topUsage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length))
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.description}`)
  return [
    `vigil ${VERSION}: finds software supply-chain compromise on hosts, in release artifacts and on the network`,
    '',
    'Usage: vigil <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage, config or input error; 3 internal error.',
    "Run 'vigil <command> --help' for a command's options.",
  ].join('\n')
}

/** Runs the CLI and returns the process exit code. Never throws. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${topUsage()}\n`)
    return name ? 0 : 2
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`)
    return 0
  }
  const entry = COMMANDS[name]
  if (!entry) {
    process.stderr.write(`vigil: unknown command '${name}'\n\n${topUsage()}\n`)
    return 2
  }
  try {
    const cmd = (await entry.load()).default
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${await renderUsage(cmd)}\n`)
      return 0
    }
    const { result } = await runCommand(cmd, { rawArgs: rest })
    return typeof result === 'number' ? result : 0
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string })?.code?.startsWith?.('E_')) {
      process.stderr.write(`vigil ${name}: ${errorMessage(err)}\n`)
      return 2
    }
    process.stderr.write(`vigil ${name}: internal error: ${(err as Error)?.stack ?? err}\n`)
    return 3
  }
}
