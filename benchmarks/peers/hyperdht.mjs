// SCENARIO.md on hyperdht: node 0 is HyperDHT.bootstrapper(BASE, '127.0.0.1'); the others join through it with
// {ephemeral:false, firewalled:false}, exactly like @hyperswarm/testnet. Run: node --expose-gc hyperdht.mjs --n 100 --run 1
import HyperDHT from 'hyperdht'
import b4a from 'b4a'
import { runScenario, parseArgs, packageVersion } from './common.mjs'

const HOST = '127.0.0.1'
const BASE = 24000
let datagrams = 0
let patchedSocketProto = null

// Counts every datagram any node sends (requests, retries, replies) by wrapping the UDX socket's send methods once.
function countDatagrams (node) {
  for (const sock of [node.io.serverSocket, node.io.clientSocket]) {
    if (!sock) continue
    const proto = Object.getPrototypeOf(sock)
    if (proto === patchedSocketProto) continue
    patchedSocketProto = proto
    for (const name of ['trySend', 'send']) {
      const orig = proto[name]
      proto[name] = function (...a) { datagrams++; return orig.apply(this, a) }
    }
  }
}

// Counts the ANNOUNCE requests that a node got acknowledged, per target, so an announce can report its replicas.
function countReplicas (node) {
  node.__replicas = new Map()
  const orig = node._requestAnnounce
  node._requestAnnounce = function (keyPair, dht, target, ...rest) {
    const k = b4a.toString(target, 'hex')
    return orig.call(this, keyPair, dht, target, ...rest).then(r => {
      node.__replicas.set(k, (node.__replicas.get(k) || 0) + 1)
      return r
    })
  }
}

const adapter = {
  impl: 'hyperdht',
  base: BASE,
  keyLen: 32,
  versions: { hyperdht: packageVersion('hyperdht'), 'dht-rpc': packageVersion('dht-rpc'), 'udx-native': packageVersion('udx-native') },
  libraryDefaults: 'k=20, 10 concurrent requests per query, request timeout 1 s with retries, congestion window 80 sends / 750 ms, node id = hash(ip:port), announces signed (Ed25519)',

  async startNode (i, seedPort) {
    const node = seedPort === null
      ? HyperDHT.bootstrapper(adapter.base, HOST)
      : new HyperDHT({ port: adapter.base + i, host: HOST, bootstrap: [{ host: HOST, port: seedPort }], ephemeral: false, firewalled: false })
    await node.fullyBootstrapped()
    countDatagrams(node)
    countReplicas(node)
    return node
  },
  requestsSent (node) {
    const s = node.io.stats.requests
    return s.total + s.retries
  },
  datagramsSent () { return datagrams },
  routingTableSize (node) { return node.table.size },

  async announce (node, key) {
    const k = b4a.toString(key, 'hex')
    node.__replicas.set(k, 0)
    await node.announce(key, node.defaultKeyPair).finished()
    const replicas = node.__replicas.get(k)
    node.__replicas.delete(k)
    return { replicas }
  },

  async lookup (node, key, targetIndex, onFound) {
    const want = nodesByIndex[targetIndex].defaultKeyPair.publicKey
    try {
      for await (const data of node.lookup(key)) {
        for (const p of data.peers) {
          if (b4a.equals(p.publicKey, want)) onFound()
        }
      }
    } catch (e) {
      // "too few nodes responded" etc.: the op is judged on whether it found a
      if (!/too few/i.test(String(e && e.message))) throw e
    }
  },

  async destroy (nodes) {
    await Promise.all(nodes.map(n => n.destroy().catch(() => {})))
  }
}

// lookup needs a's public key: keep the nodes by index
const nodesByIndex = []
const start = adapter.startNode
adapter.startNode = async (i, seedPort) => { const n = await start(i, seedPort); nodesByIndex[i] = n; return n }

await runScenario(adapter, parseArgs(process.argv.slice(2)))
process.exit(0)
