package org.dialtone.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.NodeId;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.resolver.number.DialNumber;
import org.dialtone.resolver.record.AgentInfo;
import org.dialtone.resolver.record.RecordCodec;
import org.dialtone.resolver.record.RecordKind;
import org.dialtone.resolver.record.Role;
import org.junit.jupiter.api.Test;

/**
 * The read side believes only what it should: a record for another number, of another kind, from another publisher,
 * with a forged signature or an undecodable payload is skipped, and never hides the good records beside it.
 */
class FoundRecordsTest {
  private static final DialNumber N23 = DialNumber.parse("744-196884-23");
  private static final DialNumber N47 = DialNumber.parse("744-196884-47");
  private static final Identity ALICE = Identity.generate();
  private static final Identity BOB = Identity.generate();
  private static final Identity CAROL = Identity.generate();
  private static final Identity MALLORY = Identity.generate();

  private static SignedRecord record(Identity who, RecordKind kind, String name, DialNumber on, Role role,
      List<String> services, List<String> endpoints) {
    AgentInfo info = new AgentInfo(who.publicKey(), name, on, role, services, List.of(), endpoints, List.of(on), 0, 0);
    return SignedRecord.sign(who, NodeId.zero(), kind.code(), 1, 4_000_000_000L, RecordCodec.encodeAgent(info));
  }

  private static SignedRecord forged(SignedRecord r) {
    byte[] signature = r.signature();
    signature[0] ^= 1;
    return SignedRecord.of(r.key(), r.publisher(), r.kind(), r.seq(), r.expiresAtSeconds(), r.payload(), signature);
  }

  @Test
  void aRosterHoldsOnlyVerifiedAgentsOfThatNumber() {
    SignedRecord alice = record(ALICE, RecordKind.PRESENCE, "alice", N23, Role.MEMBER, List.of(), List.of());
    SignedRecord bob = record(BOB, RecordKind.HOST, "bob", N23, Role.HOST, List.of("files", "chat"), List.of());
    SignedRecord carolElsewhere = record(CAROL, RecordKind.PRESENCE, "carol", N47, Role.MEMBER, List.of(), List.of());
    SignedRecord malloryForged = forged(record(MALLORY, RecordKind.PRESENCE, "mallory", N23, Role.MEMBER, List.of(),
        List.of()));
    SignedRecord garbage = SignedRecord.sign(MALLORY, NodeId.zero(), RecordKind.PRESENCE.code(), 1, 4_000_000_000L,
        new byte[] {(byte) 0xff, 0x00});
    SignedRecord interestEntry = record(CAROL, RecordKind.INTEREST, "carol", N23, Role.MEMBER, List.of(), List.of());

    Roster roster = FoundRecords.roster(N23,
        List.of(garbage, bob, malloryForged, carolElsewhere, interestEntry, alice), List.of());

    assertEquals(List.of("alice", "bob"), roster.agents().stream().map(AgentInfo::name).toList());
    assertEquals(List.of("bob"), roster.hosts().stream().map(AgentInfo::name).toList());
    assertEquals(List.of("chat", "files"), roster.services());
  }

  @Test
  void aDirectoryEntryIsTheAgentsOwn() {
    SignedRecord bobsClaimAboutAlice = SignedRecord.sign(BOB, NodeId.zero(), RecordKind.AGENT.code(), 1,
        4_000_000_000L, RecordCodec.encodeAgent(new AgentInfo(ALICE.publicKey(), "alice", N23, Role.MEMBER,
            List.of(), List.of(), List.of("ws://192.0.2.1:1"), List.of(N23), 0, 0)));
    assertEquals(Optional.empty(), FoundRecords.directoryEntry(List.of(bobsClaimAboutAlice), ALICE.publicKey()));
    SignedRecord own = record(ALICE, RecordKind.AGENT, "alice", N23, Role.MEMBER, List.of(), List.of());
    assertEquals(Optional.empty(), FoundRecords.directoryEntry(List.of(forged(own)), ALICE.publicKey()));
    Optional<AgentInfo> found =
        FoundRecords.directoryEntry(List.of(bobsClaimAboutAlice, forged(own), own), ALICE.publicKey());
    assertTrue(found.isPresent());
    assertEquals(ALICE.publicKey(), found.get().agent());
  }

  @Test
  void bootstrapEndpointsAreTheUsableUdpOnes() {
    SignedRecord host = record(ALICE, RecordKind.HOST, "seed", DialNumber.BOOTSTRAP, Role.HOST, List.of("bootstrap"),
        List.of("udp://127.0.0.1:7440", "udp://not-an-address", "ws://127.0.0.1:8053"));
    Roster roster = FoundRecords.roster(DialNumber.BOOTSTRAP, List.of(host), List.of());
    assertEquals(List.of(PeerAddress.parse("127.0.0.1:7440")), FoundRecords.bootstrapEndpoints(roster));
  }
}
