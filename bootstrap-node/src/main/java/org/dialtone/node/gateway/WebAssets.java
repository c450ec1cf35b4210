package org.dialtone.node.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The node's web page and the browser library, read once from the jar: nothing is fetched from anywhere else at run
 * time, and a path outside this fixed set is never looked up (no path from a request reaches the class loader).
 */
final class WebAssets {
  /**
   * The page may load only its own scripts and styles and talk only to this node; no inline script, no framing. Data
   * from the network is inserted as text, so a hostile agent name cannot become markup either.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  /** One file: its bytes, media type and a strong validator. */
  record Asset(String path, byte[] bytes, String contentType, String etag) {}

  private static final Map<String, String[]> FILES = Map.of(
      "/", new String[] {"index.html", "text/html; charset=utf-8"},
      "/web/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
      "/web/style.css", new String[] {"style.css", "text/css; charset=utf-8"},
      "/dialtone.js", new String[] {"dialtone.js", "text/javascript; charset=utf-8"});

  private final Map<String, Asset> assets;

  private WebAssets(Map<String, Asset> assets) {
    this.assets = assets;
  }

  /** Reads every asset from the jar; a missing one is a broken build, so it fails at start, not on a request. */
  static WebAssets load() {
    Map<String, Asset> out = new java.util.HashMap<>();
    FILES.forEach((path, file) -> {
      byte[] bytes = read("web/" + file[0]);
      out.put(path, new Asset(path, bytes, file[1], "\"" + sha256(bytes).substring(0, 16) + "\""));
    });
    return new WebAssets(Map.copyOf(out));
  }

  /** The asset served at {@code path}, if any. */
  Optional<Asset> get(String path) {
    return Optional.ofNullable(assets.get(path));
  }

  /** The bytes a first visit to the page transfers: the page, its script, its style and the library. */
  long pageWeight() {
    return assets.values().stream().mapToLong(a -> a.bytes().length).sum();
  }

  private static byte[] read(String resource) {
    try (InputStream in = WebAssets.class.getResourceAsStream("/org/dialtone/node/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
