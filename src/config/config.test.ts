import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'citty'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { COMMON_ARGS } from '../cli/args.js'
import { UsageError } from '../core/errors.js'
import { DEFAULT_LIMITS } from '../core/limits.js'
import { GiB, MiB } from '../core/units.js'
import { loadConfig, parseConfig } from './config.js'
import { flagsFromArgs, loadScanSettings, resolveScanSettings, SCAN_ARGS } from './settings.js'
import { parseSize } from './size.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-config-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function write(name: string, content: unknown): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content))
  return path
}

describe('parseSize', () => {
  it('reads bytes and binary/decimal units, and refuses the rest', () => {
    expect(parseSize(4096)).toBe(4096)
    expect(parseSize('512MiB')).toBe(512 * MiB)
    expect(parseSize('4 gib')).toBe(4 * GiB)
    expect(parseSize('1.5K')).toBe(1536)
    expect(parseSize('2MB')).toBe(2_000_000)
    for (const bad of [-1, 1.5, '1 parsec', '', '-3MiB', 'MiB', Number.POSITIVE_INFINITY]) {
      expect(parseSize(bad)).toBeUndefined()
    }
  })
})

describe('config file', () => {
  it('loads every setting, resolving paths against the config file', async () => {
    const file = await write('vigil.json', {
      exclude: ['**/node_modules/**'],
      limits: { maxFileBytes: '1GiB', maxArchiveDepth: 3, maxCompressionRatio: 100 },
      intel: ['intel/extra'],
      threads: 2,
      failOn: 'medium',
      format: 'sarif',
      cache: { enabled: false, dir: '.cache' },
      suppressions: 'suppress.yaml',
    })
    const c = await loadConfig(file)
    expect(c).toEqual({
      file: resolve(file),
      exclude: ['**/node_modules/**'],
      limits: { maxFileBytes: GiB, maxArchiveDepth: 3, maxCompressionRatio: 100 },
      intel: [join(dir, 'intel/extra')],
      threads: 2,
      failOn: 'medium',
      format: 'sarif',
      cache: { enabled: false, dir: join(dir, '.cache') },
      suppressions: join(dir, 'suppress.yaml'),
    })
  })

  it('names the file and the bad key (exit 2 errors)', async () => {
    const cases: [unknown, string][] = [
      [{ limts: {} }, "unknown key 'limts'"],
      [{ limits: { maxArchiveDepth: -1 } }, "key 'limits.maxArchiveDepth'"],
      [{ limits: { maxFileBytes: 'huge' } }, "key 'limits.maxFileBytes': 'huge' is not a size"],
      [{ limits: { maxDepth: 3 } }, "unknown key 'limits.maxDepth'"],
      [{ threads: 0 }, "key 'threads'"],
      [{ failOn: 'severe' }, "key 'failOn'"],
      [{ exclude: 'node_modules' }, "key 'exclude'"],
      [{ cache: { enabled: 'yes' } }, "key 'cache.enabled'"],
      [[1, 2], 'document'],
    ]
    for (const [doc, want] of cases) {
      const file = await write('bad.json', doc)
      const err = await loadConfig(file).catch((e: unknown) => e)
      expect(err, JSON.stringify(doc)).toBeInstanceOf(UsageError)
      expect((err as Error).message).toContain(`config file ${file}: `)
      expect((err as Error).message).toContain(want)
    }
  })

  it('reports unreadable and malformed files as usage errors', async () => {
    await expect(loadConfig(join(dir, 'missing.json'))).rejects.toThrow(
      /cannot read config file .*missing\.json/,
    )
    const file = await write('broken.json', '{ "threads": 2,')
    await expect(loadConfig(file)).rejects.toThrow(/config file .*broken\.json: not valid JSON/)
  })

  it('accepts every current Limits field', () => {
    const limits = Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((k) => [k, 7]))
    expect(parseConfig({ limits }, 'x.json').limits).toEqual(limits)
  })
})

describe('resolveScanSettings', () => {
  it('uses the defaults with neither flags nor file', () => {
    const s = resolveScanSettings({})
    expect(s.failOn).toBe('high')
    expect(s.limits).toEqual(DEFAULT_LIMITS)
    expect(s.cache).toEqual({ enabled: true })
    expect(s.threads).toBeGreaterThanOrEqual(1)
    expect(s.format).toBeUndefined()
    expect(s.quiet).toBe(false)
  })

  it('lets flags beat the file and adds list flags to the file lists', () => {
    const config = parseConfig(
      {
        exclude: ['a/**'],
        intel: ['i1'],
        threads: 2,
        failOn: 'medium',
        format: 'json',
        limits: { maxFileBytes: 100, maxArchiveDepth: 2 },
        cache: { enabled: true, dir: 'c' },
        suppressions: 's.yaml',
      },
      join(dir, 'vigil.json'),
    )
    const s = resolveScanSettings(
      {
        exclude: ['b/**'],
        intel: ['i2'],
        threads: '4',
        failOn: 'critical',
        format: 'table',
        limits: { maxFileBytes: '2KiB' },
        cache: false,
        suppressions: 'other.json',
      },
      config,
    )
    expect(s).toMatchObject({
      exclude: ['a/**', 'b/**'],
      intel: [join(dir, 'i1'), resolve('i2')],
      threads: 4,
      failOn: 'critical',
      format: 'table',
      cache: { enabled: false, dir: join(dir, 'c') },
      suppressionsFile: resolve('other.json'),
    })
    expect(s.limits).toEqual({ ...DEFAULT_LIMITS, maxFileBytes: 2048, maxArchiveDepth: 2 })
    const fileOnly = resolveScanSettings({}, config)
    expect(fileOnly).toMatchObject({ threads: 2, failOn: 'medium', format: 'json' })
  })

  it('refuses an unknown format before any work, naming where it came from', async () => {
    expect(() => resolveScanSettings({ format: 'xml' })).toThrow(/^--format: unknown format 'xml'/)
    const config = parseConfig({ format: 'html' }, join(dir, 'vigil.json'))
    expect(() => resolveScanSettings({}, config)).toThrow(
      `config file ${join(dir, 'vigil.json')}: unknown format 'html'`,
    )
    expect(resolveScanSettings({ format: 'sarif' }, config).format).toBe('sarif')
    await expect(loadScanSettings({ output: join(dir, 'missing', 'r.json') })).rejects.toThrow(
      /--output .*does not exist/,
    )
    expect((await loadScanSettings({ output: join(dir, 'r.json') })).settings.output).toBe(
      join(dir, 'r.json'),
    )
  })

  it('rejects bad flag values as usage errors', () => {
    expect(() => resolveScanSettings({ failOn: 'hgih' })).toThrow(UsageError)
    expect(() => resolveScanSettings({ threads: 'many' })).toThrow(/--threads/)
    expect(() => resolveScanSettings({ threads: '0' })).toThrow(/--threads/)
    expect(() => resolveScanSettings({ limits: { maxFileBytes: '1 parsec' } })).toThrow(
      /maxFileBytes/,
    )
    expect(() => resolveScanSettings({ limits: { maxArchiveDepth: '-2' } })).toThrow(
      /maxArchiveDepth/,
    )
  })

  it('reads citty args and repeatable flags', () => {
    const raw = ['x', '--intel', 'a', '--intel=b', '--exclude', '*.log', '--no-cache']
    const flags = flagsFromArgs(
      { 'fail-on': 'low', 'max-file-size': '1MiB', cache: false, quiet: true, threads: '3' },
      raw,
    )
    expect(flags).toEqual({
      intel: ['a', 'b'],
      exclude: ['*.log'],
      limits: { maxFileBytes: '1MiB' },
      failOn: 'low',
      threads: '3',
      quiet: true,
      cache: false,
    })
  })

  it('maps what citty parses from COMMON_ARGS + SCAN_ARGS', () => {
    const raw = [
      'dir',
      '--no-cache',
      '--exclude',
      'a/**',
      '--exclude=b/**',
      '--max-archive-depth',
      '2',
    ]
    const args = parseArgs(raw, { ...COMMON_ARGS, ...SCAN_ARGS, paths: { type: 'positional' } })
    const s = resolveScanSettings(flagsFromArgs(args, raw))
    expect(s.cache.enabled).toBe(false)
    expect(s.exclude).toEqual(['a/**', 'b/**'])
    expect(s.limits.maxArchiveDepth).toBe(2)
  })

  it('loads config and suppressions in one call', async () => {
    await write('s.yaml', '- ruleId: ioc/x\n  path: "a/**"\n  reason: reviewed\n')
    const file = await write('vigil.json', { suppressions: 's.yaml', failOn: 'low' })
    const { settings, suppressions, config } = await loadScanSettings({ config: file })
    expect(config?.file).toBe(resolve(file))
    expect(settings.failOn).toBe('low')
    expect(suppressions.map((e) => [e.ruleId, e.path, e.source.index])).toEqual([
      ['ioc/x', 'a/**', 1],
    ])
    await expect(loadScanSettings({ config: join(dir, 'nope.json') })).rejects.toThrow(UsageError)
  })
})
