// dialtone.js: the read side of Dialtone for browsers, through a node's HTTP gateway (served by every node at
// /dialtone.js). Every call goes to the node that served this file unless another base URL is given.
//
//   import { Gateway } from "/dialtone.js";
//   const gw = new Gateway();
//   const roster = await gw.dial("744-196884-23");          // or a name: gw.dial("Moonshine")
//   const watch = gw.watch("744-196884-23", e => console.log(e.type, e.agent?.name));
//   watch.close();
//
// A watch tells of changes after its first event, WATCHING: a roster read before that can miss whoever joined in
// between, so a page that shows one reads it (again) once WATCHING has come, as app.js does.
//
// Errors are DialtoneError with the gateway's code (BAD_NUMBER, NOT_READY, OVERLOADED, ...) and message.
//
// A browser can also be an agent on a number: its Ed25519 key is made and kept in this browser (WebCrypto, stored in
// IndexedDB, never exported), and it signs its own records; the node only checks and passes them on.
//
//   const me = await BrowserAgent.open(gw);
//   await me.announce("744-196884-23", "Bea");   // on the roster until me.leave(...) or the page closes
//
// And it can open a WebRTC data channel to another agent by key: the offer and answer travel through the node as
// signals the two browsers sign (the node checks and passes them on; each side checks them again).
//
//   await me.listen({ iceServers, onChannel: ({ peer, channel }) => ... });   // my inbox on the node
//   const { channel, millis } = await me.connect(otherKey, { iceServers });

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

  /** Posts a signal this browser's agent signed (a DTS1 envelope, see BrowserAgent.connect): {delivered}. */
  postSignal(bytes) {
    return this.#fetchJson("/signals", {
      method: "POST", headers: { "content-type": "application/octet-stream", accept: "application/json" },
      body: bytes,
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
const AGENT = 7;
/** How long a browser's presence lives; it is renewed at half that while the page is open. */
const PRESENCE_TTL_SECONDS = 120;
const RECORD_DOMAIN = new TextEncoder().encode("dialtone-record-v1\0");

/** An agent living in this browser: announces itself on numbers through a node, with records it signs itself. */
export class BrowserAgent {
  #keys;
  #lastSeq = 0;
  #renewals = new Map();
  #inbox = null;
  #node = null;
  #iceServers = [];
  #onChannel = () => {};
  #dials = new Map();
  #nonces = new Map();
  #refused = new Map();
  #answering = 0;

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

  /**
   * ANNOUNCE: on {@code number} (a number or a name) as {@code displayName}, renewed until leave(). With the inbox
   * open (listen() first), the agent's directory record (AGENT, under agent:<key>) goes first and names the node that
   * holds the inbox, so that an agent on another node can signal this one: its node forwards there.
   */
  async announce(number, displayName) {
    const canonical = (await this.gateway.dial(number)).number;
    const publish = async () => {
      if (this.#node) await this.#publish(AGENT, canonical, displayName);
      return this.#publish(PRESENCE, canonical, displayName);
    };
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

  /**
   * Opens this agent's signal inbox on its node (WS /signals/{key}; the node asks for a proof of the key, which the
   * page signs) and answers WebRTC offers from other agents: onChannel({peer, channel}) for each data channel one
   * opens to this agent. Every signal is checked here again (signature, recipient, lifetime, replay); a refused one
   * is counted in refusedSignals and dropped. Resolves once the node has attached the inbox.
   */
  listen({ iceServers = [], onChannel = () => {}, onClose = () => {} } = {}) {
    this.#iceServers = iceServers;
    this.#onChannel = onChannel;
    if (this.#inbox) return this.#inbox;
    const url = new URL(`${this.gateway.base || globalThis.location.origin}/signals/${this.key}`);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    this.#inbox = new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.binaryType = "arraybuffer";
      let error = null;
      ws.onmessage = async m => {
        if (m.data instanceof ArrayBuffer) {
          this.#received(new Uint8Array(m.data)).catch(() => {});
          return;
        }
        const msg = JSON.parse(m.data);
        if (msg.type === "CHALLENGE") {
          const proof = concat(SESSION_LABEL, fromHex(msg.challenge), fromHex(this.key));
          const signature = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, this.#keys.privateKey, proof));
          ws.send(JSON.stringify({ type: "PROOF", signature: hex(signature) }));
        } else if (msg.type === "ATTACHED") {
          this.#node = typeof msg.node === "string" ? msg.node : null; // this node, as dialtone-node://ip:port/key
          resolve({ close: () => ws.close(1000, "done") });
        } else if (msg.error) {
          error = new DialtoneError(msg.error, msg.message, 0);
        }
      };
      ws.onclose = c => {
        const why = error ?? new DialtoneError("CLOSED", c.reason || `the signal inbox closed (${c.code})`, 0);
        this.#inbox = null;
        this.#node = null;
        reject(why);
        onClose(why);
      };
    });
    return this.#inbox;
  }

  /**
   * Opens a WebRTC data channel to the agent with key {@code peer} (64 hex digits), listening on this node or on the
   * node its directory record names (this node forwards the signals there, and back): a REQUEST with the offer goes through the node, the ANSWER comes back through this agent's inbox, then ICE
   * (with {@code iceServers}, e.g. the node's own STUN) and DTLS run directly between the browsers. Resolves to
   * {channel, peer, millis (offer made to channel open), close(), stats() (the connection's RTCStatsReport)}.
   */
  async connect(peer, { iceServers = this.#iceServers, timeoutMs = 30000 } = {}) {
    await this.listen({ iceServers, onChannel: this.#onChannel });
    const started = performance.now();
    const pc = new RTCPeerConnection({ iceServers });
    const channel = pc.createDataChannel("dialtone");
    const opened = new Promise((resolve, reject) => {
      channel.onopen = resolve;
      pc.onconnectionstatechange = () => {
        if (pc.connectionState === "failed") reject(new DialtoneError("ICE_FAILED", "no path between the browsers", 0));
      };
    });
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    const session = crypto.getRandomValues(new Uint8Array(16));
    const answered = new Promise(resolve => this.#dials.set(hex(session), { peer, resolve }));
    try {
      await this.#sendSignal(REQUEST, peer, session, pc.localDescription.sdp);
      const answer = await within(answered, timeoutMs, "NO_ANSWER", "no answer from the agent");
      await pc.setRemoteDescription({ type: "answer", sdp: withCandidates(answer.sdp, answer.candidates) });
      await within(opened, timeoutMs, "NOT_OPENED", "the data channel did not open");
    } catch (e) {
      pc.close();
      throw e;
    } finally {
      this.#dials.delete(hex(session));
    }
    return { channel, peer, millis: performance.now() - started, close: () => pc.close(), stats: () => pc.getStats() };
  }

  /** Signals this agent refused, by reason (BAD_SIGNATURE, WRONG_RECIPIENT, EXPIRED, REPLAYED, UNEXPECTED, ...). */
  get refusedSignals() {
    return Object.fromEntries(this.#refused);
  }

  async #sendSignal(kind, peer, session, sdp) {
    const { text, candidates } = splitCandidates(sdp);
    const payload = new TextEncoder().encode(text);
    if (payload.length > MAX_SIGNAL_PAYLOAD) {
      throw new DialtoneError("SDP_TOO_LARGE", `the description is ${payload.length} bytes, at most ${MAX_SIGNAL_PAYLOAD}`, 0);
    }
    const issuedAt = Date.now();
    const body = encodeSignal({ kind, sender: fromHex(this.key), recipient: fromHex(peer), session,
      nonce: crypto.getRandomValues(new Uint8Array(16)), issuedAt, expiresAt: issuedAt + SIGNAL_LIFETIME_MS,
      candidates: candidates.slice(0, 8), payload });
    const signature = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, this.#keys.privateKey,
      concat(SIGNAL_LABEL, body)));
    return this.gateway.postSignal(concat(body, signature));
  }

  /** A signal from the inbox: checked, then an offer answered or an answer handed to the dial waiting for it. */
  async #received(bytes) {
    let s;
    try {
      s = decodeSignal(bytes);
      const key = await crypto.subtle.importKey("raw", s.senderBytes, { name: "Ed25519" }, false, ["verify"]);
      if (!await crypto.subtle.verify({ name: "Ed25519" }, key, s.signature, concat(SIGNAL_LABEL, s.body))) {
        throw new DialtoneError("BAD_SIGNATURE", "not signed by its sender", 0);
      }
      const now = Date.now();
      if (s.recipient !== this.key) throw new DialtoneError("WRONG_RECIPIENT", "not for this agent", 0);
      if (s.expiresAt - s.issuedAt <= 0 || s.expiresAt - s.issuedAt > 60000) {
        throw new DialtoneError("BAD_LIFETIME", "lifetime out of bounds", 0);
      }
      if (now >= s.expiresAt) throw new DialtoneError("EXPIRED", "expired", 0);
      for (const [n, exp] of this.#nonces) if (exp <= now) this.#nonces.delete(n);
      const replayKey = s.sender + s.nonce;
      if (this.#nonces.has(replayKey)) throw new DialtoneError("REPLAYED", "seen before", 0);
      if (this.#nonces.size >= 4096) throw new DialtoneError("BUSY", "too many signals remembered", 0);
      this.#nonces.set(replayKey, s.expiresAt);
      if (s.transport !== WEBRTC) throw new DialtoneError("UNEXPECTED", "not a WebRTC signal", 0);
      if (s.kind === ANSWER) {
        const dial = this.#dials.get(s.session);
        // only the agent dialled may answer, in the session this page chose
        if (!dial || dial.peer !== s.sender) throw new DialtoneError("UNEXPECTED", "an answer nobody asked for", 0);
        dial.resolve({ sdp: s.sdp, candidates: s.candidates });
      } else if (s.kind === REQUEST) {
        await this.#answer(s).catch(e => {
          throw e instanceof DialtoneError ? e : new DialtoneError("ANSWER_FAILED", String(e.message), 0);
        });
      } else {
        throw new DialtoneError("UNEXPECTED", "kind " + s.kind, 0);
      }
    } catch (e) {
      const code = e instanceof DialtoneError ? e.code : "MALFORMED";
      this.#refused.set(code, (this.#refused.get(code) ?? 0) + 1);
      throw e;
    }
  }

  async #answer(offer) {
    if (this.#answering >= MAX_ANSWERING) throw new DialtoneError("BUSY", "too many connections being set up", 0);
    this.#answering++;
    const pc = new RTCPeerConnection({ iceServers: this.#iceServers });
    const done = () => { this.#answering = Math.max(0, this.#answering - 1); };
    const timer = setTimeout(() => { if (pc.connectionState !== "connected") pc.close(); done(); }, 30000);
    pc.ondatachannel = e => {
      const channel = e.channel;
      const opened = () => { clearTimeout(timer); done(); this.#onChannel({ peer: offer.sender, channel, close: () => pc.close() }); };
      if (channel.readyState === "open") opened(); else channel.onopen = opened;
    };
    await pc.setRemoteDescription({ type: "offer", sdp: withCandidates(offer.sdp, offer.candidates) });
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    await this.#sendSignal(ANSWER, offer.sender, fromHex(offer.session), pc.localDescription.sdp);
  }

  async #publish(kind, number, displayName) {
    const keyText = kind === AGENT ? "agent:" + this.key : "number:" + number;
    const key = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(keyText)));
    // where this agent's signals go: the node holding its inbox (the only endpoint a node lets a browser name)
    const endpoints = kind !== LEFT && this.#node ? [this.#node] : [];
    const payload = cbor({ name: displayName, number, role: "MEMBER", endpoints });
    const seq = this.#lastSeq = Math.max(Date.now(), this.#lastSeq + 1);
    const expiresAt = Math.floor(Date.now() / 1000) + PRESENCE_TTL_SECONDS;
    const publisher = fromHex(this.key);
    const signed = concat(RECORD_DOMAIN, key, publisher, u16(kind), u64(seq), u64(expiresAt), u32(payload.length),
      payload);
    const signature = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, this.#keys.privateKey, signed));
    return this.gateway.postRecord({
      kind: { [PRESENCE]: "PRESENCE", [LEFT]: "LEFT", [AGENT]: "AGENT" }[kind], key: hex(key),
      publisher: this.key, seq, expiresAt,
      payload: btoa(String.fromCharCode(...payload)), signature: hex(signature),
    });
  }
}

// ---- signals: the DTS1 envelope of docs/connections.md ("Signaling"), as the Java agents write it ----

const SIGNAL_MAGIC = new TextEncoder().encode("DTS1");
const SIGNAL_LABEL = new TextEncoder().encode("dialtone-signal-v1");
const SESSION_LABEL = new TextEncoder().encode("dialtone-signal-session-v1");
const REQUEST = 1;
const ANSWER = 2;
const WEBRTC = 2;
const MAX_SIGNAL_PAYLOAD = 700;
const SIGNAL_LIFETIME_MS = 30000;
const MAX_ANSWERING = 8;
const CANDIDATE_TYPES = { host: 1, srflx: 2, relay: 3 };
const CANDIDATE_NAMES = { 1: "host", 2: "srflx", 3: "relay" };

function encodeSignal({ kind, sender, recipient, session, nonce, issuedAt, expiresAt, candidates, payload }) {
  const cands = candidates.map(c => concat(new Uint8Array([c.type, c.ip.length === 4 ? 4 : 6]), c.ip, u16(c.port)));
  return concat(SIGNAL_MAGIC, new Uint8Array([kind, WEBRTC, 0, 0]), sender, recipient, session, nonce, u64(issuedAt),
    u64(expiresAt), new Uint8Array([candidates.length]), ...cands, u16(payload.length), payload);
}

function decodeSignal(bytes) {
  const bad = why => new DialtoneError("MALFORMED", why, 0);
  if (bytes.length < 4 + 4 + 64 + 32 + 16 + 1 + 2 + 64 || bytes.length > 1100) throw bad("size");
  if (!SIGNAL_MAGIC.every((b, i) => bytes[i] === b)) throw bad("magic");
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let at = 8;
  const take = n => {
    if (at + n > bytes.length - 64) throw bad("truncated");
    const out = bytes.subarray(at, at + n);
    at += n;
    return out;
  };
  const s = { kind: bytes[4], transport: bytes[5] };
  s.senderBytes = take(32).slice();
  s.sender = hex(s.senderBytes);
  s.recipient = hex(take(32));
  s.session = hex(take(16));
  s.nonce = hex(take(16));
  take(16);
  s.issuedAt = Number(v.getBigUint64(at - 16));
  s.expiresAt = Number(v.getBigUint64(at - 8));
  const n = take(1)[0];
  if (n > 8) throw bad("candidates");
  s.candidates = [];
  for (let i = 0; i < n; i++) {
    const [type, family] = take(2);
    if (family !== 4 && family !== 6) throw bad("family");
    const ip = take(family === 4 ? 4 : 16).slice();
    const port = take(2);
    s.candidates.push({ type, ip, port: port[0] << 8 | port[1] });
  }
  const len = take(2);
  const payloadLength = len[0] << 8 | len[1];
  if (payloadLength > MAX_SIGNAL_PAYLOAD || at + payloadLength !== bytes.length - 64) throw bad("payload length");
  s.sdp = new TextDecoder().decode(take(payloadLength));
  s.body = bytes.subarray(0, at);
  s.signature = bytes.slice(at);
  return s;
}

/**
 * The description without its candidate lines (they travel in the envelope's candidate list, as addresses): only
 * UDP candidates of component 1 with a literal address are kept (mDNS names and TCP are left out).
 */
function splitCandidates(sdp) {
  const lines = sdp.split("\r\n").filter(l => l !== "");
  const candidates = [];
  for (const l of lines.filter(l => l.startsWith("a=candidate:"))) {
    const f = l.slice("a=candidate:".length).split(" ");
    const type = CANDIDATE_TYPES[f[7]];
    const ip = parseIp(f[4]);
    if (f[1] === "1" && f[2].toLowerCase() === "udp" && type && ip && !candidates.some(c => hex(c.ip) === hex(ip) && c.port === +f[5])) {
      candidates.push({ type, ip, port: +f[5] });
    }
  }
  const text = lines.filter(l => !l.startsWith("a=candidate:") && l !== "a=end-of-candidates").join("\r\n") + "\r\n";
  return { text, candidates };
}

/** A description with the envelope's candidates put back as candidate lines (one media section: at the end). */
function withCandidates(sdp, candidates) {
  const priority = { 1: 2130706431, 2: 1694498815, 3: 16777215 };
  return sdp + candidates.map((c, i) => `a=candidate:${i + 1} 1 udp ${priority[c.type] - i} ${formatIp(c.ip)} ${c.port} `
    + `typ ${CANDIDATE_NAMES[c.type]}${c.type === 1 ? "" : " raddr 0.0.0.0 rport 0"}\r\n`).join("")
    + "a=end-of-candidates\r\n";
}

function parseIp(s) {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(s)) return new Uint8Array(s.split(".").map(Number));
  if (!/^[0-9a-fA-F:]+$/.test(s) || !s.includes(":")) return null; // an mDNS name, or an embedded IPv4 form
  const [head, tail] = s.split("::");
  const groups = h => (h ? h.split(":") : []).map(g => parseInt(g, 16));
  const a = groups(head);
  const b = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? a : [...a, ...new Array(8 - a.length - b.length).fill(0), ...b];
  if (all.length !== 8) return null;
  return new Uint8Array(all.flatMap(g => [g >> 8, g & 255]));
}

function formatIp(ip) {
  if (ip.length === 4) return ip.join(".");
  const g = [];
  for (let i = 0; i < 16; i += 2) g.push((ip[i] << 8 | ip[i + 1]).toString(16));
  return g.join(":");
}

/** Waits until the browser has gathered its candidates (host, and reflexive from the STUN servers), 5 s at most. */
function gathered(pc) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise(resolve => {
    const timer = setTimeout(resolve, 5000);
    pc.addEventListener("icegatheringstatechange", () => {
      if (pc.iceGatheringState === "complete") {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

function within(promise, ms, code, message) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => {
    timer = setTimeout(() => reject(new DialtoneError(code, `${message} within ${ms} ms`, 0)), ms);
  })]).finally(() => clearTimeout(timer));
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
