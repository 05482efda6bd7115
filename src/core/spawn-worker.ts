import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * Starts the worker module `name` that sits beside the calling module (`from`: its
 * import.meta.url). Built code runs `name.js`; from TypeScript sources (tests, tsx) the worker
 * registers tsx first and then imports `name.ts`.
 */
export function spawnWorker(from: string, name: string, options: WorkerOptions = {}): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, from), options)
  const entry = new URL(`./${name}.ts`, from).href
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}) })`
  return new Worker(boot, { ...options, eval: true })
}
