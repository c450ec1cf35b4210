// The side-by-side scenario of shared/bench/SCENARIO.md, independent of the library under test.
// A runner (hyperdht.mjs, bittorrent-dht.mjs) supplies an adapter; runScenario does formation, idle, the two modes
// of announces and lookups, and writes results/<impl>-n<N>-run<R>.json in the §6 format.
import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

// ---- §5 op generator ----

/** mulberry32 exactly as in SCENARIO.md §5: returns a function giving r in [0, 1). */
export function mulberry32 (seed, n) {
  let s = (seed * 1000 + n) >>> 0
  return function next () {
    s = (s + 0x6D2B79F5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The ops of both modes: { seq: [{a, l, key}], conc16: [...] }, drawn from one stream, seq first. */
export function generateOps (seed, n, m, keyLen) {
  const r = mulberry32(seed, n)
  const modes = {}
  for (const mode of ['seq', 'conc16']) {
    const ops = []
    for (let i = 0; i < m; i++) {
      const a = Math.floor(r() * n)
      let l = Math.floor(r() * (n - 1))
      if (l >= a) l++
      const key = Buffer.alloc(keyLen)
      for (let b = 0; b < keyLen; b++) key[b] = Math.floor(r() * 256)
      ops.push({ a, l, key })
    }
    modes[mode] = ops
  }
  return modes
}

// ---- statistics ----

/** Nearest-rank percentile of a sorted array. */
export function percentile (sorted, p) {
  if (sorted.length === 0) return null
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[Math.min(rank, sorted.length) - 1]
}

export function latencyStats (values) {
  const s = [...values].sort((x, y) => x - y)
  if (s.length === 0) return { count: 0, p50: null, p95: null, p99: null, mean: null, max: null }
  const mean = s.reduce((x, y) => x + y, 0) / s.length
  return {
    count: s.length,
    p50: round(percentile(s, 50)),
    p95: round(percentile(s, 95)),
    p99: round(percentile(s, 99)),
    mean: round(mean),
    max: round(s[s.length - 1])
  }
}

export function round (x, digits = 3) {
  if (x === null || x === undefined || Number.isNaN(x)) return null
  const f = 10 ** digits
  return Math.round(x * f) / f
}

// ---- process measurements ----

export function cpuMs () {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

export function rssKiB () {
  const status = fs.readFileSync('/proc/self/status', 'utf8')
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(status)
  return m ? Number(m[1]) : Math.round(process.memoryUsage().rss / 1024)
}

export async function settle () {
  if (global.gc) { global.gc(); global.gc() }
  await sleep(200)
}

/** How many extra nodes join the formed network one at a time, to measure what one join costs. */
export const JOINS = 5

/** Medians of the extra joins: time to ready, process CPU, datagrams sent by all nodes. */
export function summarizeJoins (joins) {
  const med = key => percentile(joins.map(j => j[key]).sort((x, y) => x - y), 50)
  return { joins: joins.length, ok: joins.filter(j => j.ok).length, msP50: med('ms'), cpuP50: med('cpu'), datagramsP50: med('datagrams'), each: joins }
}

function withTimeout (promise, ms) {
  let timer
  const timeout = new Promise(resolve => { timer = setTimeout(() => resolve({ timedOut: true }), ms) })
  return Promise.race([promise.then(v => ({ value: v }), e => ({ error: e })), timeout])
    .finally(() => clearTimeout(timer))
}

// ---- arguments ----

export function parseArgs (argv) {
  const args = { n: 100, run: 1, m: 200, j: 16, idle: 5, out: null, joinTimeout: 60, opTimeout: 30, hardTimeout: 900 }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const v = argv[i + 1]
    switch (a) {
      case '--n': args.n = Number(v); i++; break
      case '--run': args.run = Number(v); i++; break
      case '--seed': args.seed = Number(v); i++; break
      case '--m': args.m = Number(v); i++; break
      case '--j': args.j = Number(v); i++; break
      case '--idle': args.idle = Number(v); i++; break
      case '--out': args.out = v; i++; break
      case '--base': args.base = Number(v); i++; break
      case '--join-timeout': args.joinTimeout = Number(v); i++; break
      case '--op-timeout': args.opTimeout = Number(v); i++; break
      case '--hard-timeout': args.hardTimeout = Number(v); i++; break
      default: throw new Error('unknown argument ' + a)
    }
  }
  if (args.seed === undefined) args.seed = args.run
  return args
}

// ---- the scenario ----

/**
 * adapter: {
 *   impl, base, keyLen, versions, libraryDefaults,
 *   startNode(i, seedPort) -> Promise<node>  (node 0 gets seedPort null; resolves when the join is done)
 *   requestsSent(node) -> request datagrams sent so far by that node (retransmissions included)
 *   datagramsSent() -> datagrams sent so far by all nodes (requests, responses, everything)
 *   routingTableSize(node)
 *   announce(node, key, index) -> Promise<{replicas}>
 *   lookup(node, key, targetIndex, onFound) -> Promise<void>, calls onFound() at the first hit
 *   destroy(nodes) -> Promise
 * }
 */
export async function runScenario (adapter, args) {
  const { n, m, j } = args
  if (args.base !== undefined) adapter.base = args.base
  const hard = setTimeout(() => {
    console.error(`${adapter.impl}: hard timeout of ${args.hardTimeout} s reached, exiting`)
    process.exit(3)
  }, args.hardTimeout * 1000)
  hard.unref()

  const log = (...a) => console.error(`[${adapter.impl} n=${n} run=${args.run}]`, ...a)
  await settle()
  const rssBefore = rssKiB()
  const heapBefore = process.memoryUsage().heapUsed
  const cpuStart = cpuMs()
  const nodes = new Array(n)
  const extra = []
  let notReady = 0

  // §2 formation
  const t0 = performance.now()
  const dg0 = adapter.datagramsSent()
  nodes[0] = await adapter.startNode(0, null)
  let next = 1
  async function joinLoop () {
    while (next < n) {
      const i = next++
      let node = null
      const started = adapter.startNode(i, adapter.base).then(x => { node = x; return x })
      const r = await withTimeout(started, args.joinTimeout * 1000)
      if (r.timedOut || r.error) {
        notReady++
        if (r.error) log(`join ${i} failed: ${r.error.message}`)
        // a late node still joins the table of others; keep it if it comes up
        started.then(x => { nodes[i] = x }, () => {})
      } else {
        nodes[i] = node
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(j, n - 1) }, joinLoop))
  const formationMs = performance.now() - t0
  const formationCpu = cpuMs() - cpuStart
  const formationDatagrams = adapter.datagramsSent() - dg0
  await settle()
  const rssAfter = rssKiB()
  const heapAfter = process.memoryUsage().heapUsed
  const tables = nodes.filter(Boolean).map(x => adapter.routingTableSize(x)).sort((x, y) => x - y)
  log(`formation ${Math.round(formationMs)} ms, notReady ${notReady}, rss/node ${((rssAfter - rssBefore) / n).toFixed(1)} KiB, table p50 ${percentile(tables, 50)}`)

  // §2.6 idle
  const idleCpu0 = cpuMs()
  const idleDg0 = adapter.datagramsSent()
  await sleep(args.idle * 1000)
  const idle = { seconds: args.idle, cpu: round(cpuMs() - idleCpu0), datagrams: adapter.datagramsSent() - idleDg0 }

  // The cost of one more node joining the formed network (issue 16): JOINS new nodes, one at a time, each through
  // node 0 like the others; per join the time to ready, the process CPU and the datagrams sent by all nodes.
  const joins = []
  for (let k = 0; k < JOINS; k++) {
    const i = n + k
    const cpu0 = cpuMs()
    const dgJ = adapter.datagramsSent()
    const t = performance.now()
    const r = await withTimeout(adapter.startNode(i, adapter.base), args.joinTimeout * 1000)
    joins.push({ ms: round(performance.now() - t), cpu: round(cpuMs() - cpu0), datagrams: adapter.datagramsSent() - dgJ, ok: !r.timedOut && !r.error })
    if (!r.timedOut && !r.error) extra.push(r.value)
  }
  const joinOne = summarizeJoins(joins)
  log(`one more node joins: p50 ${joinOne.msP50} ms, ${joinOne.cpuP50} ms CPU, ${joinOne.datagramsP50} datagrams`)

  // §3 phases
  const ops = generateOps(args.seed, n, m, adapter.keyLen)
  const phases = []
  for (const [mode, concurrency] of [['seq', 1], ['conc16', 16]]) {
    const list = ops[mode]
    const announce = await runPhase(list, concurrency, async (op) => {
      const node = nodes[op.a]
      if (!node) throw new Error('node ' + op.a + ' not up')
      const before = adapter.requestsSent(node)
      const t = performance.now()
      const res = await adapter.announce(node, op.key, op.a)
      return { ms: performance.now() - t, replicas: res.replicas, ok: res.replicas >= 1, msgs: adapter.requestsSent(node) - before }
    })
    const lookup = await runPhase(list, concurrency, async (op) => {
      const node = nodes[op.l]
      if (!node) throw new Error('node ' + op.l + ' not up')
      const before = adapter.requestsSent(node)
      const t = performance.now()
      let foundMs = null
      await adapter.lookup(node, op.key, op.a, () => { if (foundMs === null) foundMs = performance.now() - t })
      return { ms: performance.now() - t, foundMs, ok: foundMs !== null, msgs: adapter.requestsSent(node) - before }
    })
    phases.push({ mode, concurrency, announce: summarizeAnnounce(announce, m), lookup: summarizeLookup(lookup, m) })
    log(`${mode}: announce ok ${phases.at(-1).announce.ok}/${m} p50 ${phases.at(-1).announce.latencyMs.p50} ms; ` +
      `lookup found ${phases.at(-1).lookup.found}/${m} p50 ${phases.at(-1).lookup.foundLatencyMs.p50} ms, ` +
      `${phases.at(-1).lookup.opsPerSec} lookups/s`)
  }
  const totalCpu = round(cpuMs() - cpuStart)

  const result = {
    impl: adapter.impl,
    params: { n, j, m, run: args.run, seed: args.seed, keyLen: adapter.keyLen, base: adapter.base, idleSeconds: args.idle, joinTimeoutSeconds: args.joinTimeout, opTimeoutSeconds: args.opTimeout },
    versions: { node: process.version, ...adapter.versions },
    formation: {
      ms: round(formationMs),
      notReady,
      cpu: round(formationCpu),
      datagrams: formationDatagrams,
      rssBeforeMiB: round(rssBefore / 1024),
      rssAfterMiB: round(rssAfter / 1024),
      rssPerNodeKiB: round((rssAfter - rssBefore) / n),
      heapPerNodeKiB: round((heapAfter - heapBefore) / 1024 / n),
      routingTableSize: { p50: percentile(tables, 50), min: tables[0] ?? null, max: tables.at(-1) ?? null }
    },
    idle,
    joinOne,
    phases,
    totalCpu,
    units: { cpu: 'ms of process CPU time (user+system)', latency: 'ms', rss: 'KiB per node' },
    libraryDefaults: adapter.libraryDefaults
  }
  const out = args.out || path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'results', `${adapter.impl}-n${n}-run${args.run}.json`)
  fs.mkdirSync(path.dirname(out), { recursive: true })
  fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n')
  log('wrote ' + out)

  await withTimeout(adapter.destroy(nodes.filter(Boolean).concat(extra)), 30000)
  clearTimeout(hard)
  return result

  async function runPhase (list, concurrency, body) {
    const results = new Array(list.length)
    const cpu0 = cpuMs()
    const dg = adapter.datagramsSent()
    const t = performance.now()
    let i = 0
    async function worker () {
      while (i < list.length) {
        const k = i++
        const r = await withTimeout(body(list[k]), args.opTimeout * 1000)
        if (r.timedOut) results[k] = { timedOut: true, ok: false }
        else if (r.error) results[k] = { error: String(r.error.message || r.error), ok: false }
        else results[k] = r.value
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    const wallMs = performance.now() - t
    return { results, wallMs, cpu: cpuMs() - cpu0, datagrams: adapter.datagramsSent() - dg }
  }
}

function common (phase, m) {
  const done = phase.results.filter(r => !r.timedOut && !r.error)
  const msgs = done.map(r => r.msgs)
  return {
    ops: m,
    timedOut: phase.results.filter(r => r.timedOut).length,
    errors: phase.results.filter(r => r.error).length,
    msgsPerOp: round(msgs.reduce((x, y) => x + y, 0) / Math.max(1, msgs.length)),
    wallMs: round(phase.wallMs),
    opsPerSec: round(m / (phase.wallMs / 1000)),
    cpu: round(phase.cpu),
    datagramsPerOp: round(phase.datagrams / m)
  }
}

function summarizeAnnounce (phase, m) {
  const ok = phase.results.filter(r => r.ok)
  const c = common(phase, m)
  return {
    ops: m,
    ok: ok.length,
    timedOut: c.timedOut,
    errors: c.errors,
    latencyMs: latencyStats(ok.map(r => r.ms)),
    replicas: round(ok.reduce((x, r) => x + r.replicas, 0) / Math.max(1, ok.length)),
    msgsPerOp: c.msgsPerOp,
    wallMs: c.wallMs,
    opsPerSec: c.opsPerSec,
    cpu: c.cpu,
    datagramsPerOp: c.datagramsPerOp,
    latencySamplesMs: ok.map(r => round(r.ms))
  }
}

function summarizeLookup (phase, m) {
  const found = phase.results.filter(r => r.ok)
  const done = phase.results.filter(r => !r.timedOut && !r.error)
  const c = common(phase, m)
  return {
    ops: m,
    found: found.length,
    successRate: round(found.length / m, 4),
    timedOut: c.timedOut,
    errors: c.errors,
    foundLatencyMs: latencyStats(found.map(r => r.foundMs)),
    doneLatencyMs: latencyStats(done.map(r => r.ms)),
    msgsPerOp: c.msgsPerOp,
    wallMs: c.wallMs,
    opsPerSec: c.opsPerSec,
    cpu: c.cpu,
    datagramsPerOp: c.datagramsPerOp,
    foundSamplesMs: found.map(r => round(r.foundMs))
  }
}

export function packageVersion (name) {
  const file = path.join(path.dirname(new URL(import.meta.url).pathname), 'node_modules', name, 'package.json')
  return JSON.parse(fs.readFileSync(file, 'utf8')).version
}
