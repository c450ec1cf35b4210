package org.dialtone.bench.crypto;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.dialtone.bench.report.NamedArgs;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The cost of one Ed25519 signature and one verification, as the DHT's challenge proofs pay it (a fresh 54-byte
 * message; every verification with a key met for the first time, as when a contact is admitted), in thread CPU time
 * (what other processes on a shared machine disturb least), by library: Bouncy Castle, libsodium (the system's
 * {@code libsodium.so.23} through JNA; skipped with a note when absent) and the JDK's SunEC. Median of the rounds.
 *
 * <pre>java -cp ... org.dialtone.bench.crypto.Ed25519Timing [--keys 2000] [--rounds 5] [--out results]</pre>
 */
public final class Ed25519Timing {
  /** The few libsodium functions used. */
  public interface Sodium extends Library {
    int sodium_init();

    int crypto_sign_ed25519_seed_keypair(byte[] pk, byte[] sk, byte[] seed);

    int crypto_sign_ed25519_detached(byte[] sig, Pointer siglen, byte[] m, long mlen, byte[] sk);

    int crypto_sign_ed25519_verify_detached(byte[] sig, byte[] m, long mlen, byte[] pk);
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private Ed25519Timing() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = NamedArgs.parse(args);
    int keys = Integer.parseInt(a.getOrDefault("keys", "2000"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "5"));
    Path out = Path.of(a.getOrDefault("out", "results"));
    Map<String, Object> result = run(keys, rounds);
    Files.createDirectories(out);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("ed25519.json").toFile(),
        result);
    String md = markdown(result);
    Files.writeString(out.resolve("ed25519.md"), md);
    System.out.print(md);
  }

  /** Times every library; the map holds µs of CPU per operation (medians) and the notes. */
  public static Map<String, Object> run(int keys, int rounds) throws Exception {
    SecureRandom random = new SecureRandom();
    byte[] msg = new byte[54];
    random.nextBytes(msg);
    byte[][] seeds = new byte[keys][32];
    byte[][] pks = new byte[keys][32];
    byte[][] sigs = new byte[keys][64];
    for (int i = 0; i < keys; i++) {
      random.nextBytes(seeds[i]);
      Ed25519.generatePublicKey(seeds[i], 0, pks[i], 0);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("keys", keys);
    result.put("rounds", rounds);
    result.put("messageBytes", msg.length);
    result.put("unit", "microseconds of thread CPU time per operation, median of the rounds");
    result.put("java", System.getProperty("java.version"));

    List<Double> sign = new ArrayList<>();
    List<Double> verify = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      long t = cpu();
      for (int i = 0; i < keys; i++) {
        Ed25519.sign(seeds[i], 0, pks[i], 0, msg, 0, msg.length, sigs[i], 0);
      }
      sign.add(perOp(t, keys));
      t = cpu();
      int ok = 0;
      for (int i = 0; i < keys; i++) {
        ok += Ed25519.verify(sigs[i], 0, pks[i], 0, msg, 0, msg.length) ? 1 : 0;
      }
      verify.add(perOp(t, keys));
      check(ok == keys, "Bouncy Castle refused its own signatures");
    }
    result.put("bouncyCastle", Map.of("sign", median(sign), "verify", median(verify),
        "version", String.valueOf(Ed25519.class.getPackage().getImplementationVersion())));

    Optional<Sodium> sodium = loadSodium();
    if (sodium.isPresent()) {
      Sodium s = sodium.get();
      byte[][] sks = new byte[keys][64];
      byte[] pk = new byte[32];
      for (int i = 0; i < keys; i++) {
        s.crypto_sign_ed25519_seed_keypair(pk, sks[i], seeds[i]);
        check(Arrays.equals(pk, pks[i]), "libsodium and Bouncy Castle derive different public keys");
      }
      byte[] sig = new byte[64];
      for (int i = 0; i < Math.min(keys, 50); i++) { // deterministic signatures: the same bytes from both
        s.crypto_sign_ed25519_detached(sig, null, msg, msg.length, sks[i]);
        check(Arrays.equals(sig, sigs[i]), "libsodium and Bouncy Castle sign differently");
      }
      sign.clear();
      verify.clear();
      for (int r = 0; r < rounds; r++) {
        long t = cpu();
        for (int i = 0; i < keys; i++) {
          s.crypto_sign_ed25519_detached(sigs[i], null, msg, msg.length, sks[i]);
        }
        sign.add(perOp(t, keys));
        t = cpu();
        int ok = 0;
        for (int i = 0; i < keys; i++) {
          ok += s.crypto_sign_ed25519_verify_detached(sigs[i], msg, msg.length, pks[i]) == 0 ? 1 : 0;
        }
        verify.add(perOp(t, keys));
        check(ok == keys, "libsodium refused its own signatures");
      }
      result.put("libsodium", Map.of("sign", median(sign), "verify", median(verify),
          "note", "the system's libsodium through JNA (one native call per operation)"));
    } else {
      result.put("libsodium", Map.of("note", "not measured: no libsodium on this machine (Debian: libsodium23)"));
    }

    int jdkKeys = Math.max(1, keys / 10); // ten times slower: a tenth of the keys
    KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
    KeyPair[] pairs = new KeyPair[jdkKeys];
    byte[][] jdkSigs = new byte[jdkKeys][];
    for (int i = 0; i < jdkKeys; i++) {
      pairs[i] = g.generateKeyPair();
    }
    sign.clear();
    verify.clear();
    for (int r = 0; r < rounds; r++) {
      long t = cpu();
      for (int i = 0; i < jdkKeys; i++) {
        Signature sg = Signature.getInstance("Ed25519");
        sg.initSign(pairs[i].getPrivate());
        sg.update(msg);
        jdkSigs[i] = sg.sign();
      }
      sign.add(perOp(t, jdkKeys));
      t = cpu();
      int ok = 0;
      for (int i = 0; i < jdkKeys; i++) {
        Signature sg = Signature.getInstance("Ed25519");
        sg.initVerify(pairs[i].getPublic());
        sg.update(msg);
        ok += sg.verify(jdkSigs[i]) ? 1 : 0;
      }
      verify.add(perOp(t, jdkKeys));
      check(ok == jdkKeys, "SunEC refused its own signatures");
    }
    result.put("jdk", Map.of("sign", median(sign), "verify", median(verify), "keys", jdkKeys));
    return result;
  }

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> r) {
    StringBuilder md = new StringBuilder();
    md.append("Ed25519 in thread CPU time per operation (µs, median of ").append(r.get("rounds"))
        .append(" rounds; ").append(r.get("keys")).append(" keys, each verification with a key met for the first ")
        .append("time; a ").append(r.get("messageBytes")).append("-byte message as a challenge proof signs)\n\n")
        .append("| library | sign µs | verify µs | sign + verify µs | note |\n|---|---:|---:|---:|---|\n");
    for (String lib : List.of("bouncyCastle", "libsodium", "jdk")) {
      Map<String, Object> v = (Map<String, Object>) r.get(lib);
      Object s = v.get("sign");
      Object ve = v.get("verify");
      String sum = s instanceof Double x && ve instanceof Double y ? String.format(Locale.ROOT, "%.1f", x + y) : "-";
      md.append("| ").append(lib).append(" | ").append(fmt(s)).append(" | ").append(fmt(ve)).append(" | ")
          .append(sum).append(" | ").append(v.getOrDefault("note", "")).append(" |\n");
    }
    return md.toString();
  }

  private static String fmt(Object v) {
    return v instanceof Double d ? String.format(Locale.ROOT, "%.1f", d) : "-";
  }

  private static Optional<Sodium> loadSodium() {
    for (String name : List.of("sodium", "libsodium.so.23")) {
      try {
        Sodium s = Native.load(name, Sodium.class);
        if (s.sodium_init() >= 0) {
          return Optional.of(s);
        }
      } catch (UnsatisfiedLinkError e) {
        // try the next name
      }
    }
    return Optional.empty();
  }

  private static long cpu() {
    return THREADS.getCurrentThreadCpuTime();
  }

  private static double perOp(long cpuStart, int ops) {
    return Math.round((cpu() - cpuStart) / 1e3 / ops * 10) / 10.0;
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }
}
