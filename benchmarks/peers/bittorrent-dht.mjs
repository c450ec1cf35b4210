// SCENARIO.md on bittorrent-dht (BEP 5): node 0 has bootstrap:false, the others bootstrap from it only; every node
// listens on 127.0.0.1:BASE+i. Run: node --expose-gc bittorrent-dht.mjs --n 100 --run 1
import DHT from 'bittorrent-dht'
import { runScenario, parseArgs, packageVersion } from './common.mjs'

const HOST = '127.0.0.1'
const BASE = 20000
let datagrams = 0

function once (emitter, event) {
  return new Promise((resolve, reject) => {
    emitter.once(event, resolve)
    emitter.once('error', reject)
  })
}

const adapter = {
  impl: 'bittorrent-dht',
  base: BASE,
  keyLen: 20,
  versions: { 'bittorrent-dht': packageVersion('bittorrent-dht'), 'k-rpc': packageVersion('k-rpc'), 'k-rpc-socket': packageVersion('k-rpc-socket') },
  libraryDefaults: 'k=20, <=16 queries in flight per node (queued beyond), query timeout 2 s checked every 0.5 s, no retries, 160-bit random ids, lookup runs until the k closest answered',

  async startNode (i, seedPort) {
    const dht = new DHT({ bootstrap: seedPort === null ? false : [`${HOST}:${seedPort}`] })
    // count datagrams (dgram socket) and the queries this node sends (k-rpc-socket)
    dht.__queries = 0
    const krpcSocket = dht._rpc.socket
    const origQuery = krpcSocket.query
    krpcSocket.query = function (...a) { dht.__queries++; return origQuery.apply(this, a) }
    const udp = krpcSocket.socket
    const origSend = udp.send
    udp.send = function (...a) { datagrams++; return origSend.apply(this, a) }
    const listening = once(dht, 'listening')
    const ready = dht.ready ? Promise.resolve() : once(dht, 'ready')
    dht.listen(adapter.base + i, HOST)
    await listening
    await ready
    return dht
  },
  requestsSent (node) { return node.__queries },
  datagramsSent () { return datagrams },
  routingTableSize (node) { return node._rpc.nodes.count() },

  announce (node, key, index) {
    // a fresh key has no cached table on this node, so this is get_peers lookup + announce_peer to the k closest
    return new Promise((resolve, reject) => {
      const before = node.__queries
      // k-rpc's queryAll reports how many announce_peer queries succeeded: the replicas
      node.announce(key, adapter.base + index, (err, hits) => {
        if (err && !hits) { resolve({ replicas: 0, error: err.message, msgs: node.__queries - before }); return }
        resolve({ replicas: hits || 0 })
      })
    })
  },

  lookup (node, key, targetIndex, onFound) {
    const want = adapter.base + targetIndex
    const hex = key.toString('hex')
    const onPeer = (peer, infoHash) => {
      if (peer.port === want && peer.host === HOST && infoHash.toString('hex') === hex) onFound()
    }
    node.on('peer', onPeer)
    return new Promise(resolve => {
      node.lookup(key, () => { node.removeListener('peer', onPeer); resolve() })
    })
  },

  async destroy (nodes) {
    await Promise.all(nodes.map(n => new Promise(resolve => n.destroy(resolve))))
  }
}

await runScenario(adapter, parseArgs(process.argv.slice(2)))
process.exit(0)
