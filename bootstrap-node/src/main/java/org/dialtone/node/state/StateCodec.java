package org.dialtone.node.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.net.PeerAddress;
import org.dialtone.dht.record.SignedRecord;
import org.dialtone.dht.routing.Contact;
import org.dialtone.dht.wire.DecodeException;
import org.dialtone.dht.wire.MessageCodec;

/**
 * The two state files' formats. Both are: an 8-byte magic, a count, the entries, and a CRC-32 of everything before
 * it, so a torn or tampered file is recognised and refused as a whole rather than half-read.
 *
 * <ul>
 *   <li>{@code contacts.bin}: per contact, the 32-byte public key (the id is its hash) and the address as text.
 *   <li>{@code records.cbor}: per record, its length and the record exactly as {@link MessageCodec#encodeRecord}
 *       writes it (CBOR, signature included), so it is verified again when it is loaded.
 * </ul>
 */
public final class StateCodec {
  static final byte[] CONTACTS_MAGIC = "DTCONT1\n".getBytes(StandardCharsets.US_ASCII);
  static final byte[] RECORDS_MAGIC = "DTRECS1\n".getBytes(StandardCharsets.US_ASCII);
  /** Bounds on what a file may claim, so a corrupt count cannot make us allocate without limit. */
  static final int MAX_ENTRIES = 1_000_000;
  static final int MAX_ENTRY_BYTES = 4096;

  private StateCodec() {}

  public static byte[] encodeContacts(List<Contact> contacts) {
    return frame(CONTACTS_MAGIC, contacts.size(), out -> {
      for (Contact c : contacts) {
        out.write(c.publicKey().toBytes());
        out.writeUTF(c.address().toString());
      }
    });
  }

  public static List<Contact> decodeContacts(byte[] bytes) throws IOException {
    DataInputStream in = unframe(CONTACTS_MAGIC, bytes);
    int n = count(in);
    List<Contact> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] key = new byte[PublicKey.BYTES];
      in.readFully(key);
      String address = in.readUTF();
      try {
        out.add(Contact.of(PublicKey.of(key), PeerAddress.parse(address)));
      } catch (IllegalArgumentException e) {
        throw new IOException("contact " + i + " is not valid: " + e.getMessage(), e);
      }
    }
    return out;
  }

  public static byte[] encodeRecords(List<SignedRecord> records) {
    return frame(RECORDS_MAGIC, records.size(), out -> {
      for (SignedRecord r : records) {
        byte[] b = MessageCodec.encodeRecord(r);
        out.writeInt(b.length);
        out.write(b);
      }
    });
  }

  public static List<SignedRecord> decodeRecords(byte[] bytes) throws IOException {
    DataInputStream in = unframe(RECORDS_MAGIC, bytes);
    int n = count(in);
    List<SignedRecord> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int len = in.readInt();
      if (len < 0 || len > MAX_ENTRY_BYTES) {
        throw new IOException("record " + i + " claims " + len + " bytes");
      }
      byte[] b = new byte[len];
      in.readFully(b);
      try {
        out.add(MessageCodec.decodeRecord(b));
      } catch (DecodeException e) {
        throw new IOException("record " + i + " does not decode: " + e.getMessage(), e);
      }
    }
    return out;
  }

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] frame(byte[] magic, int count, Body body) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(magic);
      out.writeInt(count);
      body.write(out);
      out.flush();
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeLong(crc.getValue());
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
  }

  private static DataInputStream unframe(byte[] magic, byte[] bytes) throws IOException {
    if (bytes.length < magic.length + 4 + 8 || !Arrays.equals(magic, Arrays.copyOf(bytes, magic.length))) {
      throw new IOException("not a Dialtone state file (bad header)");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    long stored = new DataInputStream(new ByteArrayInputStream(bytes, bytes.length - 8, 8)).readLong();
    if (stored != crc.getValue()) {
      throw new IOException("checksum mismatch (torn or altered file)");
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, magic.length, bytes.length - 8));
    return in;
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_ENTRIES) {
      throw new IOException("claims " + n + " entries");
    }
    return n;
  }
}
