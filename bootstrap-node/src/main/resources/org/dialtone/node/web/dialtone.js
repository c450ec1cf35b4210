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
// Browser agents that sign their own records are not here yet: this library reads and watches.

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

  async #get(path) {
    let res;
    try {
      res = await fetch(this.base + path, { headers: { accept: "application/json" } });
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
