package org.dialtone.testbed.linux;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/** The few libc calls the JDK has no API for: TUN devices (ioctl), entering a network namespace (setns), poll. */
interface LibC extends Library {
  LibC INSTANCE = Native.load("c", LibC.class);

  int O_RDWR = 2;
  int O_RDONLY = 0;
  int O_CLOEXEC = 0x80000;
  int CLONE_NEWNET = 0x40000000;
  long TUNSETIFF = 0x400454caL;
  short IFF_TUN = 0x0001;
  short IFF_NO_PI = 0x1000;
  short POLLIN = 0x0001;

  int open(String path, int flags);

  int close(int fd);

  int ioctl(int fd, NativeLong request, byte[] ifreq);

  NativeLong read(int fd, byte[] buf, NativeLong count);

  NativeLong write(int fd, byte[] buf, NativeLong count);

  int poll(Pointer fds, NativeLong nfds, int timeoutMillis);

  int setns(int fd, int nstype);

  String strerror(int errnum);

  static String lastError() {
    int errno = Native.getLastError();
    return INSTANCE.strerror(errno) + " (errno " + errno + ")";
  }
}
