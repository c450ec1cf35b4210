/**
 * A Java agent that browsers can reach ({@link org.dialtone.agent.webrtc.BrowserReach}): its signal inbox on a node's
 * gateway, WebRTC data channels to and from the web page's agents, and the page's chat over them
 * ({@link org.dialtone.agent.webrtc.BrowserChat}). The Vert.x I/O (the inbox's WebSocket, {@code POST /signals},
 * {@code /status}) is here; the signals' rules are in {@code signal}, libwebrtc in {@code rtc}.
 *
 * <p>Threats: someone else reading this agent's signals (the inbox is attached only with a proof of the key); a forged,
 * altered, replayed or misdirected signal (checked in {@code signal} and counted by reason,
 * {@link org.dialtone.agent.webrtc.BrowserReach#refusedSignals()}); a flood of offers (at most
 * {@value org.dialtone.agent.webrtc.BrowserReach#MAX_ANSWERING} answered at once, the rest dropped and counted as
 * BUSY; a connection that does not open within 30 s is closed). Not covered: a node that drops signals, browsers
 * attached to another node (signals between nodes are not built).
 */
package org.dialtone.agent.webrtc;
