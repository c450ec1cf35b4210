/**
 * WebRTC with browsers, without I/O: the signed DTS1 envelopes a Java agent exchanges with a page through a node's
 * signal inbox ({@link org.dialtone.agent.webrtc.signal.WebRtcSignals}), the page's split of a session description
 * into payload and candidates ({@link org.dialtone.agent.webrtc.signal.SdpCandidates}), the inbox's proof of the key
 * ({@link org.dialtone.agent.webrtc.signal.InboxMessages}) and the chat lines a data channel carries
 * ({@link org.dialtone.agent.webrtc.signal.ChatText}).
 *
 * <p>Threats: a node or anyone else forging, altering, redirecting or replaying a signal (each signal is checked for
 * signature, recipient, lifetime and nonce before it is used; refusals are counted by reason and change nothing); a
 * node putting its own DTLS certificate in (the fingerprint is in the signed description); an answer to a call this
 * agent never made, or from another agent than the one called ({@code UNEXPECTED}); a flood of calls (at most
 * {@value org.dialtone.agent.webrtc.signal.WebRtcSignals#MAX_PENDING_CALLS} waiting); a peer's chat text rewriting a
 * terminal (control characters replaced, length cut). Candidates are literal addresses only: nothing here resolves a
 * name a peer chose.
 */
package org.dialtone.agent.webrtc.signal;
