// The node's web page: dial and watch a number, the primary shards, find agents and numbers, and the node itself.
// All text from the network goes in with textContent, never as HTML.
import { BrowserAgent, Gateway } from "/dialtone.js";

const gw = new Gateway();
const $ = id => document.getElementById(id);
let watch = null;
let current = null; // the number on screen
let me = null; // {agent, number, name} once this browser joined a number
let chat = null; // {peer, name, channel, close} while a data channel to another browser is open
// For the console and for tests: this browser's agent and the open chat.
window.dialtone = { me: () => me, chat: () => chat };

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

function agentItem(a) {
  const li = el("li", { "data-agent": a.agent },
    el("span", { class: "name" }, a.name || "(unnamed)"),
    el("span", { class: "key", title: a.agent }, a.agent.slice(0, 16) + "…"));
  for (const s of a.services ?? []) li.append(el("span", { class: "tag" }, s));
  for (const i of a.interests ?? []) li.append(el("span", { class: "tag" }, "#" + i));
  for (const e of a.endpoints ?? []) {
    // a browser agent names the node holding its inbox: shown as that node's address, the key in the tooltip
    const node = /^dialtone-node:\/\/(.+)\/([0-9a-f]{64})$/.exec(e);
    li.append(node ? el("span", { class: "key", title: e }, "via node " + node[1]) : el("span", { class: "key" }, e));
  }
  return li;
}

/** A roster entry with a button that opens a data channel to that agent (not to oneself). */
function rosterItem(a) {
  const li = agentItem(a);
  if (a.agent !== me?.agent.key) {
    li.append(el("button", { type: "button", class: "chat-btn", "aria-label": `Chat with ${a.name || "this agent"}`,
      onclick: () => openChat(a.agent) }, "Chat"));
  }
  return li;
}

function fill(list, items, render, emptyText) {
  list.replaceChildren(...(items.length ? items.map(render) : [el("li", { class: "empty" }, emptyText)]));
}

// As fill, for agents, keeping the element of each agent already shown: a second reading of a number does not pull
// a Chat button from under a click.
function refill(list, agents, render, emptyText) {
  const shown = new Map([...list.querySelectorAll(":scope > li[data-agent]")].map(li => [li.dataset.agent, li]));
  const items = agents.map(a => shown.get(a.agent) ?? render(a));
  list.replaceChildren(...(items.length ? items : [el("li", { class: "empty" }, emptyText)]));
}

// ---- dial and watch ----

async function dial(number) {
  $("dial-error").textContent = "";
  $("number").value = number;
  let roster;
  try {
    roster = await gw.dial(number);
  } catch (e) {
    $("dial-error").textContent = e.message;
    return;
  }
  $("roster-box").hidden = false;
  $("roster-title").textContent = roster.name ? `${roster.number} · ${roster.name}` : roster.number;
  showRoster(roster);
  current = roster.number;
  $("leave").hidden = !(me && me.number === current);
  startWatch(roster.number);
}

// A number's lists as /dial read them; again: keeping the agents already shown.
function showRoster(roster, again = false) {
  const show = again ? refill : fill;
  show($("roster"), roster.roster, rosterItem, "Nobody is here yet.");
  show($("hosts"), roster.hosts, agentItem, "No host.");
  fill($("shares"), roster.shares, s => el("li", {},
    el("button", { class: "linkish", onclick: () => dial(s.number) }, s.number), " ", s.note,
    " · from ", el("span", { class: "name" }, s.from)), "Nothing shared here.");
  $("roster-live").textContent = `${roster.roster.length} here now.`;
}

function startWatch(number) {
  if (watch) watch.close();
  const state = $("watch-state");
  state.textContent = "connecting";
  state.classList.remove("on");
  // The watch tells of changes after it started, and /dial read the number before that: whoever came in between
  // would be missing for good. So once the watch has started the number is read again, and the changes that arrive
  // meanwhile are applied after that reading, in their order.
  let pending = null;
  const mine = watch = gw.watch(number, e => {
    if (e.type === "WATCHING") {
      state.textContent = "live";
      state.classList.add("on");
      pending = [];
      gw.dial(number)
        .then(roster => { if (watch === mine && current === number) showRoster(roster, true); }, () => {})
        .finally(() => {
          const queued = pending;
          pending = null;
          if (watch === mine) queued.forEach(showEvent);
        });
      return;
    }
    if (pending) pending.push(e);
    else showEvent(e);
  }, err => {
    state.textContent = err ? "watch ended" : "not watching";
    state.classList.remove("on");
    if (err) $("roster-live").textContent = err.message;
  });
}

// One change the watch told of, on the lists.
function showEvent(e) {
  const list = $("roster");
  const name = e.agent?.name ?? "someone";
  if (e.type === "JOINED" || e.type === "HOSTING") {
    list.querySelector(".empty")?.remove();
    list.querySelector(`[data-agent="${CSS.escape(e.agent.agent)}"]`)?.remove();
    list.append(rosterItem(e.agent)); // hosts are on the roster too, as /dial lists them: one can chat with them
    if (e.type === "HOSTING") {
      $("hosts").querySelector(".empty")?.remove();
      $("hosts").querySelector(`[data-agent="${CSS.escape(e.agent.agent)}"]`)?.remove();
      $("hosts").append(agentItem(e.agent));
    }
    $("roster-live").textContent = e.type === "JOINED" ? `${name} joined.` : `${name} hosts here.`;
  } else if (e.type === "LEFT") {
    list.querySelector(`[data-agent="${CSS.escape(e.agent.agent)}"]`)?.remove();
    $("roster-live").textContent = `${name} left.`;
  } else if (e.type === "SHARED" && e.share) {
    $("shares").querySelector(".empty")?.remove();
    $("shares").append(el("li", {}, e.share.number, " ", e.share.note, " · from ", el("span", { class: "name" }, name)));
    $("roster-live").textContent = `${name} shared ${e.share.number}.`;
  }
}

$("dial-form").addEventListener("submit", e => {
  e.preventDefault();
  dial($("number").value.trim());
});

// ---- this browser as an agent ----

$("join-form").addEventListener("submit", async e => {
  e.preventDefault();
  $("dial-error").textContent = "";
  const name = $("my-name").value.trim();
  try {
    const agent = me?.agent ?? await BrowserAgent.open(gw);
    if (me && me.number !== current) await agent.leave(me.number, me.name);
    await listen(agent); // the inbox first: whoever sees this browser on the roster can reach it
    await agent.announce(current, name);
    me = { agent, number: current, name };
    $("roster").querySelector(`[data-agent="${CSS.escape(agent.key)}"] .chat-btn`)?.remove();
    $("me").textContent = `You are on ${current} as ${name} (key ${agent.key.slice(0, 16)}…, kept in this browser).`;
    $("leave").hidden = false;
  } catch (err) {
    $("dial-error").textContent = err.message;
  }
});

$("leave").addEventListener("click", async () => {
  if (!me) return;
  try {
    await me.agent.leave(me.number, me.name);
    $("me").textContent = `You left ${me.number}.`;
    me = null;
    $("leave").hidden = true;
  } catch (err) {
    $("dial-error").textContent = err.message;
  }
});

// ---- chat over a WebRTC data channel, signaled through this node ----

async function iceServers() {
  const s = await gw.status().catch(() => ({}));
  return s.stun ? [{ urls: s.stun }] : []; // the node's own STUN server
}

async function listen(agent) {
  try {
    await agent.listen({
      iceServers: await iceServers(),
      onChannel: c => showChat(c, `${nameOf(c.peer)} connected to you.`),
      onClose: err => { $("chat-state").textContent = `Others cannot call you any more: ${err.message}`; },
    });
  } catch (err) {
    $("chat-state").textContent = `Chat is not available here: ${err.message}`;
  }
}

function nameOf(key) {
  return $("roster").querySelector(`[data-agent="${CSS.escape(key)}"] .name`)?.textContent ?? key.slice(0, 16) + "…";
}

async function openChat(key) {
  if (!me) {
    $("dial-error").textContent = "Join this number first: then others can answer you.";
    return;
  }
  const state = $("chat-state");
  $("chat").hidden = false;
  state.textContent = `Calling ${nameOf(key)}…`;
  try {
    const c = await me.agent.connect(key);
    showChat(c, `Connected to ${nameOf(key)} in ${Math.round(c.millis)} ms.`);
    state.dataset.millis = String(Math.round(c.millis));
  } catch (err) {
    state.textContent = `Could not reach ${nameOf(key)}: ${err.message}`;
  }
}

function showChat(c, text) {
  chat?.close();
  const name = nameOf(c.peer);
  chat = { ...c, name };
  $("chat").hidden = false;
  $("chat-title").textContent = `Chat with ${name}`;
  $("chat-state").textContent = text;
  $("chat-state").dataset.state = "open";
  c.channel.addEventListener("message", m => {
    if (typeof m.data === "string") say(name, m.data);
  });
  c.channel.addEventListener("close", () => {
    if (chat?.channel !== c.channel) return;
    $("chat-state").textContent = `The chat with ${name} closed.`;
    $("chat-state").dataset.state = "closed";
  });
}

function say(who, text) {
  const log = $("chat-log");
  log.append(el("li", {}, el("span", { class: "name" }, who), ": ", text.slice(0, 500)));
  while (log.children.length > 200) log.firstChild.remove();
}

$("chat-form").addEventListener("submit", e => {
  e.preventDefault();
  const text = $("chat-input").value;
  if (!chat || chat.channel.readyState !== "open" || !text) return;
  chat.channel.send(text);
  say("You", text);
  $("chat-input").value = "";
});

// ---- shards ----

async function shards() {
  const all = await gw.shards();
  $("shards").replaceChildren(...all.filter(s => s.space === "primary").map(s => el("li", {},
    el("button", { type: "button", onclick: () => dial(s.number), "aria-label": `Dial ${s.number}${s.name ? ", " + s.name : ""}` },
      el("span", { class: "n" }, String(s.shard)), s.name ? el("span", { class: "label" }, s.name) : null))));
}

// ---- find ----

$("interest-form").addEventListener("submit", async e => {
  e.preventDefault();
  $("find-error").textContent = "";
  try {
    fill($("interest-results"), await gw.discover($("interest").value.trim()), agentItem, "No agents with that interest.");
  } catch (err) {
    $("find-error").textContent = err.message;
  }
});

$("service-form").addEventListener("submit", async e => {
  e.preventDefault();
  $("find-error").textContent = "";
  try {
    fill($("service-results"), await gw.numbers($("service").value.trim()), l => el("li", {},
      el("button", { type: "button", class: "linkish", onclick: () => dial(l.number) }, l.number),
      " hosted by ", el("span", { class: "name" }, l.host.name)), "No numbers offer that service.");
  } catch (err) {
    $("find-error").textContent = err.message;
  }
});

// ---- the node ----

const samples = { in: [], out: [] };
let last = null;

function chart(svg, values) {
  const max = Math.max(1, ...values);
  const points = values.map((v, i) => `${(i * 240) / 59},${58 - (v / max) * 54}`).join(" ");
  svg.replaceChildren(document.createElementNS("http://www.w3.org/2000/svg", "polyline"));
  svg.firstChild.setAttribute("points", points);
  svg.setAttribute("aria-label", `${svg.getAttribute("aria-label").split(":")[0]}: ${values.at(-1) ?? 0} now, peak ${max}`);
}

async function node() {
  let s;
  try {
    s = await gw.status();
  } catch (e) {
    $("node-line").textContent = `This node does not answer: ${e.message}`;
    return;
  }
  $("node-line").textContent = `Node ${s.id.slice(0, 16)}… · ${s.status} · ${s.routingTable} contacts · ${s.records} records`;
  const facts = [["Status", s.status], ["Node id", s.id], ["UDP", s.udp], ["HTTP", s.http],
    ["Routing table", `${s.routingTable} contacts`], ["Stored records", String(s.records)], ["Watches", String(s.watchers)]];
  $("node-facts").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, String(v))]));
  fill($("peers"), s.peers, p => el("li", {}, `${p.id}… ${p.udp}`), "No peers yet.");
  const now = performance.now();
  if (last && s.traffic) {
    const secs = (now - last.at) / 1000;
    samples.in.push(Math.round((s.traffic.datagramsIn - last.t.datagramsIn) / secs));
    samples.out.push(Math.round((s.traffic.datagramsOut - last.t.datagramsOut) / secs));
    for (const k of ["in", "out"]) if (samples[k].length > 60) samples[k].shift();
    chart($("chart-in"), samples.in);
    chart($("chart-out"), samples.out);
  }
  if (s.traffic) last = { at: now, t: s.traffic };
}

shards().catch(e => { $("shards").replaceChildren(el("li", { class: "empty" }, e.message)); });
node();
setInterval(node, 2000);
const initial = new URLSearchParams(location.search).get("dial");
if (initial) dial(initial);
