/**
 * The Linux adapters under the testbed: TUN devices and {@code setns(2)} through JNA (the JDK has neither), the
 * user-space wire that delays, jitters and reorders packets between two TUN devices (this kernel has no
 * {@code sch_netem}), and running {@code ip} and {@code nft}. Nothing here knows about Dialtone.
 *
 * <p>Threats: a TUN device or socket ending up in the machine's own namespace (only threads that entered a lab
 * namespace create them, and a thread's namespace change dies with the thread); a stuck reader keeping a device
 * alive (reads poll with a timeout and stop when closed); an unbounded command (every command has a 30 s limit).
 */
package org.dialtone.testbed.linux;
