/**
 * The thin adapter over libwebrtc (webrtc-java, a native library of 23 MB): a peer connection with one data channel
 * that answers or makes an offer with every candidate gathered first, and a text channel. No protocol decision is
 * made here: who may call, which signals are believed and what a message means are in
 * {@code org.dialtone.agent.webrtc.signal}.
 *
 * <p>Threats: a peer that floods the channel (text kept for a late listener is bounded, sends refused above 1 MiB
 * buffered so libwebrtc never closes the channel for overflow); a peer that never completes ICE (the caller's
 * deadline closes the connection). A missing system library is one clear error naming the packages to install.
 */
package org.dialtone.agent.webrtc.rtc;
