/**
 * The testbed: a real network on one machine. A {@link org.dialtone.testbed.LabSpec} describes public hosts, home
 * routers with a {@link org.dialtone.testbed.NatType} (none, cone, symmetric, as RFC 4787 names them) and the hosts
 * on their LANs, and what each line to the internet does (delay, jitter, loss, reordering); {@link
 * org.dialtone.testbed.Lab} builds it in Linux network namespaces, runs real {@code dialtone} processes (or any
 * command) in its hosts, cuts and heals partitions, changes loss on the fly, and removes everything it made.
 * {@link org.dialtone.testbed.LabCheck} proves a lab behaves as labelled. Public hosts may be IPv4-only, IPv6-only or
 * dual-stack ({@link org.dialtone.testbed.LabSpec.Family}); their IPv6 addresses are unique local ones,
 * {@code fd77:<site>:0:<line>::2}, a /48 per site and a /64 per line.
 *
 * <p>What it defends against, on the machine it runs on: touching anything that is not its own (every namespace
 * is named {@code dt-<pid>-...}; devices are created only inside those namespaces; addresses are 10.77/16,
 * 192.168/16 and fd77::/16 (unique local, never routed on the internet) inside them, and no route leads to the
 * machine's own interfaces, so nothing leaves the machine);
 * leaking (processes, lines and namespaces are removed on close, on JVM shutdown, and by a sweep of dead runs'
 * namespaces at the next start); and silent skipping (where namespaces cannot be made it says so in one line and the
 * tests fail, unless {@code DIALTONE_NO_NETNS=1} asks to skip on purpose).
 */
package org.dialtone.testbed;
