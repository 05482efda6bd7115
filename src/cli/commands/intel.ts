import { chmod, writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { defineCommand } from 'citty'
import { errorMessage, UsageError } from '../../core/errors.js'
import type { IntelSourceInfo } from '../../core/types.js'
import { EXPORT_FORMATS, type ExportFormat, exportRecords } from '../../intel/export.js'
import { readIntelPath } from '../../intel/importers/read.js'
import { IntelFormatError } from '../../intel/importers/types.js'
import { writeVigil } from '../../intel/importers/vigil-ndjson.js'
import { BUNDLED_PACK, loadIntel } from '../../intel/load.js'
import type { IntelRecord } from '../../intel/records.js'
import { generateSigningKey, loadTrustedKeys, signDetached } from '../../intel/signing.js'
import { commitStore, currentVersion, defaultStoreDir, rollbackStore } from '../../intel/store.js'
import { UpdateRefused, updateStore } from '../../intel/update.js'
import { verifyStore } from '../../intel/verify.js'

const USAGE = `vigil intel <action> [options]

Actions:
  list                         sources in use: bundled pack and local store (version, date, records, age)
  show ID|VALUE                records with this id, or indicators with this value (JSON)
  import FILE|DIR...           add intel in any format (OSV, OSV all.zip, STIX 2.1, MISP, CSV, YARA, Vigil NDJSON)
  remove SOURCE                drop a source from the local store
  verify                       re-check store hashes, records and signatures (exit 1 on failure)
  export                       write records: --format ndjson|csv|stix [--output FILE] [--source NAME]
  update --from FILE|URL       install a signed bundle (Ed25519 detached signature at FROM.sig or --signature)
                               [--key PEM]... [--allow-unsigned] [--allow-downgrade]
  rollback                     return to the previous (last known good) store version
  keygen --out PREFIX          make an Ed25519 key pair PREFIX.key (private) and PREFIX.pub
  sign --key PRIVATE.pem FILE  write FILE.sig, a detached signature for update bundles

Common: --store DIR (default $VIGIL_INTEL_DIR, $XDG_DATA_HOME/vigil or ~/.local/share/vigil), --json.
Only 'update' with an http(s) URL touches the network.`

export default defineCommand({
  meta: { name: 'intel', description: USAGE },
  args: {
    action: {
      type: 'positional',
      description:
        'list | show | import | remove | verify | export | update | rollback | keygen | sign',
      required: false,
    },
  },
  run: ({ rawArgs }) => runIntel(rawArgs),
})

const OPTIONS = {
  store: { type: 'string' },
  json: { type: 'boolean' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  source: { type: 'string' },
  name: { type: 'string' },
  from: { type: 'string' },
  signature: { type: 'string' },
  key: { type: 'string', multiple: true },
  out: { type: 'string' },
  'allow-unsigned': { type: 'boolean' },
  'allow-downgrade': { type: 'boolean' },
  'no-bundled': { type: 'boolean' },
} as const

type Values = ReturnType<typeof parse>['values']

function parse(rawArgs: string[]) {
  try {
    return parseArgs({ args: rawArgs, options: OPTIONS, allowPositionals: true, strict: true })
  } catch (err) {
    throw new UsageError(errorMessage(err))
  }
}

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`)

export async function runIntel(rawArgs: string[]): Promise<number> {
  const { values, positionals } = parse(rawArgs)
  const [action, ...rest] = positionals
  const store = values.store ?? defaultStoreDir()
  switch (action) {
    case 'list':
      return list(store, values)
    case 'show':
      return show(store, rest, values)
    case 'import':
      return importCmd(store, rest, values)
    case 'remove':
      return remove(store, rest)
    case 'verify':
      return verify(store, values)
    case 'export':
      return exportCmd(store, values)
    case 'update':
      return update(store, values)
    case 'rollback': {
      const m = await rollbackStore(store)
      out(`store rolled back to ${m.version} (${m.sources.length} sources)`)
      return 0
    }
    case 'keygen':
      return keygen(values)
    case 'sign':
      return sign(rest, values)
    default:
      throw new UsageError(action ? `unknown action '${action}'\n\n${USAGE}` : USAGE)
  }
}

function ageDays(date: string | undefined, now = Date.now()): string {
  const t = date ? Date.parse(date) : Number.NaN
  return Number.isNaN(t) ? '?' : String(Math.max(0, Math.floor((now - t) / 86_400_000)))
}

async function list(store: string, values: Values): Promise<number> {
  const rows: (IntelSourceInfo & {
    where: string
    format?: string
    signedBy?: string
    ageDays: string
  })[] = []
  const bundled = await loadIntel({ storeDir: false, maxAgeDays: 0 })
  for (const s of bundled.intel.sources)
    rows.push({ ...s, where: 'bundled', ageDays: ageDays(s.date) })
  const live = await currentVersion(store)
  for (const s of live?.manifest.sources ?? []) {
    rows.push({
      source: s.source,
      version: s.version,
      date: s.date,
      records: s.records,
      where: 'store',
      format: s.format,
      ...(s.signedBy ? { signedBy: s.signedBy } : {}),
      ageDays: ageDays(s.date),
    })
  }
  if (values.json) {
    out(
      JSON.stringify(
        { store, storeVersion: live?.manifest.version ?? null, sources: rows },
        null,
        2,
      ),
    )
    return 0
  }
  out(`store: ${store}${live ? ` (version ${live.manifest.version})` : ' (empty)'}`)
  const table = [
    ['SOURCE', 'WHERE', 'VERSION', 'DATE', 'AGE (DAYS)', 'RECORDS', 'FORMAT', 'SIGNED BY'],
  ]
  for (const r of rows) {
    table.push([
      r.source,
      r.where,
      r.version,
      r.date ?? '',
      r.ageDays,
      String(r.records ?? ''),
      r.format ?? 'vigil',
      r.signedBy ?? (r.where === 'bundled' ? '(package)' : '-'),
    ])
  }
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)))
  for (const row of table)
    out(
      row
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
  return 0
}

async function allRecords(store: string, values: Values): Promise<readonly IntelRecord[]> {
  const { intel } = await loadIntel({
    storeDir: store,
    bundled: !values['no-bundled'],
    maxAgeDays: 0,
  })
  return intel.records
}

async function show(store: string, ids: string[], values: Values): Promise<number> {
  const [id] = ids
  if (!id) throw new UsageError('show needs a record id or an indicator value')
  const needle = id.toLowerCase()
  const hits = (await allRecords(store, values)).filter(
    (r) =>
      r.id === id ||
      ((r.kind === 'file' || r.kind === 'network') && r.value.toLowerCase() === needle) ||
      (r.kind === 'advisory' && r.osv.aliases?.includes(id)),
  )
  if (hits.length === 0) {
    process.stderr.write(`vigil intel: no record with id or value '${id}'\n`)
    return 1
  }
  out(JSON.stringify(hits.length === 1 ? hits[0] : hits, null, 2))
  return 0
}

async function importCmd(store: string, paths: string[], values: Values): Promise<number> {
  if (paths.length === 0) throw new UsageError('import needs at least one FILE or DIR')
  if (values.name && paths.length > 1) throw new UsageError('--name applies to one input only')
  const add = []
  for (const p of paths) {
    let result: Awaited<ReturnType<typeof readIntelPath>>
    try {
      result = await readIntelPath(p)
    } catch (err) {
      if (err instanceof IntelFormatError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new UsageError(`${errorMessage(err)} (nothing was imported; the store is unchanged)`)
      }
      throw err
    }
    const info = {
      ...result.source,
      ...(values.name ? { source: values.name } : {}),
      records: result.records.length,
    }
    for (const r of result.records) r.source = info.source
    add.push({
      info,
      format: result.format,
      data: Buffer.from(writeVigil(info, result.records)),
      origin: p,
    })
  }
  const manifest = await commitStore(store, { add })
  for (const a of add)
    out(`imported ${a.info.records} records from ${a.origin} as '${a.info.source}' (${a.format})`)
  out(`store version ${manifest.version}: ${manifest.sources.length} sources`)
  return 0
}

async function remove(store: string, names: string[]): Promise<number> {
  const live = await currentVersion(store)
  const missing = names.filter((n) => !live?.manifest.sources.some((s) => s.source === n))
  if (names.length === 0 || missing.length)
    throw new UsageError(`no such source in the store: ${missing.join(', ') || '(none given)'}`)
  const manifest = await commitStore(store, { remove: names })
  out(`removed ${names.join(', ')}; store version ${manifest.version}`)
  return 0
}

async function verify(store: string, values: Values): Promise<number> {
  const keys = await loadTrustedKeys(store, values.key ?? [])
  const lines = await verifyStore(store, keys)
  const bundled = await loadIntel({ storeDir: false, maxAgeDays: 0 })
  const pack = bundled.problems.length
    ? {
        source: BUNDLED_PACK,
        ok: false,
        message: bundled.problems.map((p) => p.message).join('; '),
      }
    : {
        source: 'bundled pack',
        ok: true,
        message: `${bundled.intel.records.length} records readable`,
      }
  const all = [pack, ...lines]
  if (values.json) out(JSON.stringify(all, null, 2))
  else for (const l of all) out(`${l.ok ? 'ok  ' : 'FAIL'}  ${l.source}: ${l.message}`)
  return all.every((l) => l.ok) ? 0 : 1
}

async function exportCmd(store: string, values: Values): Promise<number> {
  const format = (values.format ?? 'ndjson') as ExportFormat
  if (!EXPORT_FORMATS.includes(format))
    throw new UsageError(`--format must be ${EXPORT_FORMATS.join(', ')}`)
  let records = await allRecords(store, values)
  if (values.source) records = records.filter((r) => r.source === values.source)
  const date = new Date().toISOString()
  const text = exportRecords(records, format, {
    source: values.source ?? 'vigil-export',
    version: date.slice(0, 10),
    date,
  })
  if (values.output) await writeFile(values.output, text)
  else process.stdout.write(text)
  return 0
}

async function update(store: string, values: Values): Promise<number> {
  if (!values.from) throw new UsageError('update needs --from FILE|URL')
  try {
    const keys = await loadTrustedKeys(store, values.key ?? [])
    const r = await updateStore({
      storeDir: store,
      from: values.from,
      ...(values.signature ? { signature: values.signature } : {}),
      keys,
      allowUnsigned: values['allow-unsigned'] === true,
      allowDowngrade: values['allow-downgrade'] === true,
    })
    out(
      `installed '${r.source}' ${r.version}: ${r.records} records, ${r.signedBy ? `signed by key ${r.signedBy}` : 'UNSIGNED (--allow-unsigned)'}; store version ${r.manifest.version} (previous kept: ${r.manifest.previous ?? 'none'})`,
    )
    return 0
  } catch (err) {
    if (err instanceof UpdateRefused || err instanceof IntelFormatError) {
      throw new UsageError(`update refused: ${errorMessage(err)}`)
    }
    throw err
  }
}

async function keygen(values: Values): Promise<number> {
  if (!values.out) throw new UsageError('keygen needs --out PREFIX')
  const { privatePem, publicPem } = generateSigningKey()
  await writeFile(`${values.out}.key`, privatePem, { mode: 0o600 })
  await chmod(`${values.out}.key`, 0o600)
  await writeFile(`${values.out}.pub`, publicPem)
  out(
    `wrote ${values.out}.key (keep secret) and ${values.out}.pub (copy into <store>/keys/ on every host)`,
  )
  return 0
}

async function sign(files: string[], values: Values): Promise<number> {
  const keyFile = values.key?.[0]
  if (!keyFile || files.length === 0)
    throw new UsageError('sign needs --key PRIVATE.pem and a FILE')
  const { readFile } = await import('node:fs/promises')
  const pem = await readFile(keyFile, 'utf8')
  for (const f of files) {
    await writeFile(`${f}.sig`, signDetached(await readFile(f), pem))
    out(`wrote ${f}.sig`)
  }
  return 0
}
