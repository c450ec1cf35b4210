package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.id.Keys;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.routing.Contact;
import org.dialtone.node.state.DataDir;
import org.dialtone.node.state.StateCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFilesTest {
  @TempDir Path dir;

  @Test
  void contactsAndRecordsRoundTrip() throws IOException {
    List<Contact> contacts = List.of(Contact.of(Identity.generate().publicKey(), PeerAddress.parse("127.0.0.1:7440")),
        Contact.of(Identity.generate().publicKey(), PeerAddress.parse("[::1]:7441")));
    assertEquals(contacts, StateCodec.decodeContacts(StateCodec.encodeContacts(contacts)));
    SignedRecord r = SignedRecord.sign(Identity.generate(), Keys.contentKey("number", "744-196884-23"), 1, 7,
        System.currentTimeMillis() / 1000 + 60, "hi".getBytes());
    assertEquals(List.of(r), StateCodec.decodeRecords(StateCodec.encodeRecords(List.of(r))));
  }

  @Test
  void aTornOrAlteredFileIsRefusedWhole() throws IOException {
    byte[] good = StateCodec.encodeContacts(
        List.of(Contact.of(Identity.generate().publicKey(), PeerAddress.parse("127.0.0.1:7440"))));
    byte[] torn = java.util.Arrays.copyOf(good, good.length - 3);
    assertThrows(IOException.class, () -> StateCodec.decodeContacts(torn));
    byte[] flipped = good.clone();
    flipped[12] ^= 1;
    assertThrows(IOException.class, () -> StateCodec.decodeContacts(flipped));
    assertThrows(IOException.class, () -> StateCodec.decodeRecords(good)); // wrong kind of file
  }

  @Test
  void aCorruptFileIsSetAsideAndTheNodeStartsWithout() throws IOException {
    DataDir d = new DataDir(dir);
    Files.write(d.recordsFile(), "garbage".getBytes());
    assertEquals(List.of(), d.loadRecords());
    assertTrue(Files.exists(dir.resolve("records.cbor.corrupt")));
    assertEquals(List.of(), d.loadContacts()); // missing: empty
  }
}
