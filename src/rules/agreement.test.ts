import { execFileSync } from 'node:child_process'
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildLookalikes } from '../../scripts/fixtures/rules/build-lookalikes.js'
import { RoutedRules } from './routed-rules.js'
import { BUNDLED_RULES_DIR, bundledRuleSources, combineRuleSources } from './sources.js'

const ROOT = join(import.meta.dirname, '..', '..')
const AGREEMENT_RULES = join(import.meta.dirname, 'testdata', 'agreement.yar')

async function filesUnder(
  dir: string,
  keep: (name: string, size: number) => boolean,
  max: number,
): Promise<string[]> {
  const out: string[] = []
  const walk = async (d: string) => {
    let entries: import('node:fs').Dirent[]
    try {
      entries = await readdir(d, { withFileTypes: true })
    } catch {
      return
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1))
    for (const e of entries) {
      if (out.length >= max) return
      const p = join(d, e.name)
      if (e.isDirectory()) await walk(p)
      else if (e.isFile()) {
        const s = await stat(p)
        if (s.size > 0 && keep(e.name, s.size)) out.push(p)
      }
    }
  }
  await walk(dir)
  return out
}

/** Look-alikes and twins, the project's PE fixtures, MinGW DLLs, /usr/bin and node_modules files. */
async function corpus(lookalikes: string): Promise<string[]> {
  const small = (max: number) => (_: string, size: number) => size <= max
  return [
    ...(await filesUnder(lookalikes, () => true, 100)),
    ...(await filesUnder(
      join(ROOT, 'scripts/fixtures/pe/out'),
      (n) => /\.(exe|dll)$/i.test(n),
      40,
    )),
    ...(await filesUnder(
      '/usr/lib/gcc/x86_64-w64-mingw32',
      (n, s) => n.endsWith('.dll') && s < 4e6,
      20,
    )),
    ...(await filesUnder('/usr/bin', small(4e6), 120)),
    ...(await filesUnder(join(ROOT, 'node_modules/@litko'), small(3e7), 20)),
    ...(await filesUnder(join(ROOT, 'node_modules/semver'), small(1e6), 60)),
    ...(await filesUnder(join(ROOT, 'node_modules/yaml/dist'), small(1e6), 40)),
    ...(await filesUnder(join(ROOT, 'node_modules/@duckdb'), small(1e8), 5)),
  ]
}

let files: string[]
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-agree-'))
  await buildLookalikes(join(dir, 'lookalikes'))
  files = await corpus(join(dir, 'lookalikes'))
})

describe('agreement with the yara CLI', () => {
  it('gives the same (rule, file) matches as Debian yara for the bundled rules and a 66-rule set', async () => {
    const ruleFiles = [
      ...(await readdir(BUNDLED_RULES_DIR))
        .filter((n) => n.endsWith('.yar'))
        .map((n) => join(BUNDLED_RULES_DIR, n)),
      AGREEMENT_RULES,
    ]
    expect(files.length).toBeGreaterThan(150)
    const list = join(dir, 'scan-list.txt')
    await writeFile(list, `${files.join('\n')}\n`)
    const cli = execFileSync('yara', ['-w', '-p', '2', '--scan-list', ...ruleFiles, list], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    })
    const theirs = new Set(cli.split('\n').filter(Boolean))

    const sources = [
      ...(await bundledRuleSources()),
      {
        namespace: 'agreement',
        text: await readFile(AGREEMENT_RULES, 'utf8'),
        origin: AGREEMENT_RULES,
      },
    ]
    const rules = combineRuleSources(sources)
    expect(rules.problems).toEqual([])
    // the detector's engine: one rule set per header-guard outcome, files it routes nowhere skipped
    const routed = new RoutedRules(rules.text)
    expect(routed.shape.guarded).toBeGreaterThan(20)
    const ours = new Set<string>()
    for (const f of files) {
      for (const m of routed.scanFile(f, (await stat(f)).size)) ours.add(`${m.ruleIdentifier} ${f}`)
    }
    const onlyYara = [...theirs].filter((x) => !ours.has(x)).sort()
    const onlyOurs = [...ours].filter((x) => !theirs.has(x)).sort()
    expect({ onlyYara, onlyOurs }).toEqual({ onlyYara: [], onlyOurs: [] })
    // the corpus exercises the rules: most rules match somewhere, and no rule matches everything
    const matched = new Set([...ours].map((x) => x.split(' ')[0]))
    expect(matched.size).toBeGreaterThan(55)
    expect(ours.size).toBeGreaterThan(500)
    if (process.env.VIGIL_AGREEMENT_STATS)
      console.log(`${files.length} files, ${ours.size} matches, ${matched.size} rules matched`)
  }, 120_000)
})
