// dialtone.js: the read side of Dialtone for browsers, through a node's HTTP gateway (served by every node at
// /dialtone.js). Every call goes to the node that served this file unless another base URL is given.
//
//   import { Gateway } from "/dialtone.js";
//   const gw = new Gateway();
//   const roster = await gw.dial("744-196884-23");          // or a name: gw.dial("Moonshine")
//   const watch = gw.watch("744-196884-23", e => console.log(e.type, e.agent?.name));
//   watch.close();
//
// Errors are DialtoneError with the gateway's code (BAD_NUMBER, NOT_READY, OVERLOADED, ...) and message.
//
// A browser can also be an agent on a number: its Ed25519 key is made and kept in this browser (WebCrypto, stored in
// IndexedDB, never exported), and it signs its own records; the node only checks and passes them on.
//
//   const me = await BrowserAgent.open(gw);
//   await me.announce("744-196884-23", "Bea");   // on the roster until me.leave(...) or the page closes

/** An error the gateway answered, with its code. */
export class DialtoneError extends Error {
  constructor(code, message, status) {
    super(message);
    this.name = "DialtoneError";
    this.code = code;
    this.status = status;
  }
}

/** A node's gateway. */
export class Gateway {
  /** @param {string} [base] the node's HTTP address, e.g. "http://10.0.0.1:7440"; the page's own by default */
  constructor(base = globalThis.location ? globalThis.location.origin : "") {
    this.base = base.replace(/\/$/, "");
  }

  /** The roster of a number or a named number: {number, name?, roster: [agent], hosts: [agent], shares: [...]}. */
  dial(number) {
    return this.#get(`/dial/${encodeURIComponent(number)}`);
  }

  /** Agents that declared an interest. */
  discover(interest) {
    return this.#get(`/discover?interest=${encodeURIComponent(interest)}`);
  }

  /** Numbers whose hosts offer a service, with their hosts: [{number, host: agent}]. */
  numbers(service) {
    return this.#get(`/numbers?service=${encodeURIComponent(service)}&detail=true`);
  }

  /** One agent by its 64-hex-digit key. */
  agent(key) {
    return this.#get(`/agents/${encodeURIComponent(key)}`);
  }

  /** The 71 primary shards and the named numbers: [{number, shard, name?, space}]. */
  shards() {
    return this.#get("/shards");
  }

  /** The node: id, addresses, routing table, records, traffic, some peers. */
  status() {
    return this.#get("/status");
  }

  /**
   * Watches a number: onEvent gets {type: WATCHING|JOINED|LEFT|SHARED|HOSTING, number, agent?, share?}; onClose gets
   * the reason when the node ends the watch (an error frame's {error, message} first, when there is one).
   * Returns {close()}.
   */
  watch(number, onEvent, onClose = () => {}) {
    const url = new URL(`${this.base || globalThis.location.origin}/watch/${encodeURIComponent(number)}`);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(url);
    let lastError = null;
    ws.onmessage = m => {
      let e;
      try {
        e = JSON.parse(m.data);
      } catch {
        return;
      }
      if (e.error) {
        lastError = new DialtoneError(e.error, e.message, 0);
      } else {
        onEvent(e);
      }
    };
    ws.onclose = c => onClose(lastError ?? (c.wasClean && c.code === 1000 ? null
      : new DialtoneError("CLOSED", c.reason || `the watch closed (${c.code})`, 0)));
    return { close: () => ws.close(1000, "done") };
  }

  /** Posts a record this browser's agent signed (see BrowserAgent): {stored, key, seq}. */
  postRecord(record) {
    return this.#fetchJson("/records", {
      method: "POST", headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(record),
    });
  }

  #get(path) {
    return this.#fetchJson(path, { headers: { accept: "application/json" } });
  }

  async #fetchJson(path, init) {
    let res;
    try {
      res = await fetch(this.base + path, init);
    } catch (e) {
      throw new DialtoneError("UNREACHABLE", `the node did not answer: ${e.message}`, 0);
    }
    const body = await res.json().catch(() => null);
    if (!res.ok) {
      throw new DialtoneError(body?.error ?? "HTTP_" + res.status, body?.message ?? res.statusText, res.status);
    }
    return body;
  }
}

// ---- browser agents ----

const PRESENCE = 1;
const LEFT = 3;
/** How long a browser's presence lives; it is renewed at half that while the page is open. */
const PRESENCE_TTL_SECONDS = 120;
const RECORD_DOMAIN = new TextEncoder().encode("dialtone-record-v1\0");

/** An agent living in this browser: announces itself on numbers through a node, with records it signs itself. */
export class BrowserAgent {
  #keys;
  #lastSeq = 0;
  #renewals = new Map();

  constructor(gateway, keys, publicKey) {
    this.gateway = gateway;
    this.#keys = keys;
    /** The agent's public key, 64 hex digits: its identity on every number. */
    this.key = hex(publicKey);
  }

  /** The agent whose key this browser keeps under {@code name}, made on first use. */
  static async open(gateway = new Gateway(), name = "default") {
    let keys = await loadKeys(name);
    if (!keys) {
      keys = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
      await saveKeys(name, keys);
    }
    const raw = new Uint8Array(await crypto.subtle.exportKey("raw", keys.publicKey));
    return new BrowserAgent(gateway, keys, raw);
  }

  /** ANNOUNCE: on {@code number} (a number or a name) as {@code displayName}, renewed until leave(). */
  async announce(number, displayName) {
    const canonical = (await this.gateway.dial(number)).number;
    const publish = () => this.#publish(PRESENCE, canonical, displayName);
    const stored = await publish();
    clearInterval(this.#renewals.get(canonical));
    this.#renewals.set(canonical, setInterval(() => publish().catch(() => {}), PRESENCE_TTL_SECONDS * 500));
    return { number: canonical, ...stored };
  }

  /** Leaves {@code number}: a signed tombstone replaces the presence at once. */
  async leave(number, displayName = "") {
    const canonical = (await this.gateway.dial(number)).number;
    clearInterval(this.#renewals.get(canonical));
    this.#renewals.delete(canonical);
    return this.#publish(LEFT, canonical, displayName);
  }

  async #publish(kind, number, displayName) {
    const key = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode("number:" + number)));
    const payload = cbor({ name: displayName, number, role: "MEMBER" });
    const seq = this.#lastSeq = Math.max(Date.now(), this.#lastSeq + 1);
    const expiresAt = Math.floor(Date.now() / 1000) + PRESENCE_TTL_SECONDS;
    const publisher = fromHex(this.key);
    const signed = concat(RECORD_DOMAIN, key, publisher, u16(kind), u64(seq), u64(expiresAt), u32(payload.length),
      payload);
    const signature = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, this.#keys.privateKey, signed));
    return this.gateway.postRecord({
      kind: kind === PRESENCE ? "PRESENCE" : "LEFT", key: hex(key), publisher: this.key, seq, expiresAt,
      payload: btoa(String.fromCharCode(...payload)), signature: hex(signature),
    });
  }
}

// CBOR (RFC 8949) for what an agent record holds: text strings, lists of them, small maps; empty values left out,
// as the Java side writes them.
function cbor(map) {
  const entries = Object.entries(map).filter(([, v]) => v !== "" && !(Array.isArray(v) && v.length === 0));
  const out = [...head(5, entries.length)];
  for (const [k, v] of entries) {
    out.push(...text(k));
    if (Array.isArray(v)) {
      out.push(...head(4, v.length));
      v.forEach(x => out.push(...text(x)));
    } else {
      out.push(...text(v));
    }
  }
  return new Uint8Array(out);
}

function text(s) {
  const bytes = new TextEncoder().encode(s);
  return [...head(3, bytes.length), ...bytes];
}

function head(major, n) {
  const m = major << 5;
  if (n < 24) return [m | n];
  if (n < 256) return [m | 24, n];
  if (n < 65536) return [m | 25, n >> 8, n & 255];
  throw new RangeError("too long for an agent record");
}

const u16 = n => new Uint8Array([n >> 8 & 255, n & 255]);
const u32 = n => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n); return b; };
const u64 = n => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt(n)); return b; };
const hex = bytes => Array.from(bytes, b => b.toString(16).padStart(2, "0")).join("");
const fromHex = h => new Uint8Array(h.match(/../g).map(x => parseInt(x, 16)));

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// The key pair lives in IndexedDB as a CryptoKey: the private half cannot be read out, only used to sign.
function db() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("dialtone", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("keys");
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function loadKeys(name) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const get = d.transaction("keys").objectStore("keys").get(name);
    get.onsuccess = () => resolve(get.result ?? null);
    get.onerror = () => reject(get.error);
  });
}

async function saveKeys(name, keys) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const tx = d.transaction("keys", "readwrite");
    tx.objectStore("keys").put(keys, name);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}
