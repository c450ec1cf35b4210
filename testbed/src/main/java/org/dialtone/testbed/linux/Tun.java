package org.dialtone.testbed.linux;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A layer-3 TUN device ({@code IFF_TUN | IFF_NO_PI}): what the kernel routes to it we read as whole IP packets, what
 * we write it receives as if from a wire. Created in the namespace of the calling thread (see {@link Netns}).
 */
public final class Tun implements Closeable {
  /** Larger than any MTU we configure: a read never truncates a packet. */
  public static final int MAX_PACKET = 65_536;
  private final String name;
  private final int fd;
  private volatile boolean closed;
  private boolean fdOpen = true;

  private Tun(String name, int fd) {
    this.name = name;
    this.fd = fd;
  }

  /** Creates TUN device {@code name} (at most 15 characters) in the calling thread's namespace. */
  public static Tun create(String name) throws IOException {
    byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length > 15) {
      throw new IllegalArgumentException("interface name longer than 15 characters: " + name);
    }
    LibC c = LibC.INSTANCE;
    int fd = c.open("/dev/net/tun", LibC.O_RDWR | LibC.O_CLOEXEC);
    if (fd < 0) {
      throw new IOException("cannot open /dev/net/tun: " + LibC.lastError());
    }
    byte[] ifreq = new byte[40]; // struct ifreq: char ifr_name[16]; short ifr_flags; padding
    System.arraycopy(bytes, 0, ifreq, 0, bytes.length);
    short flags = LibC.IFF_TUN | LibC.IFF_NO_PI;
    ifreq[16] = (byte) flags;
    ifreq[17] = (byte) (flags >> 8);
    if (c.ioctl(fd, new NativeLong(LibC.TUNSETIFF), ifreq) != 0) {
      String err = LibC.lastError();
      c.close(fd);
      throw new IOException("TUNSETIFF " + name + ": " + err);
    }
    return new Tun(name, fd);
  }

  public String name() {
    return name;
  }

  /**
   * Reads one packet into {@code buf}, waiting at most {@code timeoutMillis}: its length, 0 when none came in time,
   * -1 once closed or the device is gone.
   */
  public int read(byte[] buf, int timeoutMillis) {
    if (closed) {
      return -1;
    }
    LibC c = LibC.INSTANCE;
    try (Memory pfd = new Memory(8)) {
      pfd.setInt(0, fd);
      pfd.setShort(4, LibC.POLLIN);
      pfd.setShort(6, (short) 0);
      int ready = c.poll(pfd, new NativeLong(1), timeoutMillis);
      if (ready == 0 || closed) {
        return closed ? -1 : 0;
      }
      if (ready < 0) {
        return 0; // EINTR: try again
      }
      if ((pfd.getShort(6) & LibC.POLLIN) == 0) {
        return -1; // POLLERR / POLLHUP: the device went away with its namespace
      }
    }
    long n = c.read(fd, buf, new NativeLong(buf.length)).longValue();
    return n < 0 ? (closed ? -1 : 0) : (int) n;
  }

  /** Writes one whole packet; false when the device refused it (gone, or not up yet). */
  public boolean write(byte[] packet, int length) {
    if (closed) {
      return false;
    }
    byte[] exact = length == packet.length ? packet : java.util.Arrays.copyOf(packet, length);
    return LibC.INSTANCE.write(fd, exact, new NativeLong(length)).longValue() == length;
  }

  /** Stops reads and writes. Call once no thread reads any more (a reader sees -1 within its poll timeout). */
  public void markClosed() {
    closed = true;
  }

  /** Closes the descriptor; the device disappears with it. Call after {@link #markClosed()} and the reader ended. */
  @Override
  public void close() {
    closed = true;
    synchronized (this) {
      if (fdOpen) {
        fdOpen = false;
        LibC.INSTANCE.close(fd);
      }
    }
  }
}
