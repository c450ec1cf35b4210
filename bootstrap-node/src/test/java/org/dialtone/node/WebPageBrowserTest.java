package org.dialtone.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.HexFormat;
import org.dialtone.agent.reach.nat.NatType;
import org.dialtone.agent.reach.signal.Nonce128;
import org.dialtone.agent.reach.signal.Refusal;
import org.dialtone.agent.reach.signal.SignalBody;
import org.dialtone.agent.reach.signal.SignalCodec;
import org.dialtone.agent.reach.signal.SignalKind;
import org.dialtone.agent.reach.signal.SignalTransport;
import org.dialtone.agent.reach.signal.SignedSignal;
import org.dialtone.dht.DhtNode;
import org.dialtone.dht.crypto.PublicKey;
import org.dialtone.dht.crypto.Identity;
import org.dialtone.dht.testkit.LocalTestnet;
import org.dialtone.node.gateway.Gateway;
import org.dialtone.node.metrics.NodeMeters;
import org.dialtone.resolver.AgentProfile;
import org.dialtone.resolver.NumberResolver;
import org.dialtone.resolver.number.DialNumber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The node's web page in a real browser (Debian's headless Chromium through chromedriver) against a real DHT on
 * loopback: dial a number by typing it, see its roster, see an agent join live over the watch, list the shards, find
 * agents by interest, and show a hostile agent name as text. A screenshot is kept in {@code target/web-page.png}.
 */
class WebPageBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final DialNumber ROOM = DialNumber.parse("744-196884-23");
  static final String HOSTILE_NAME = "<img src=x onerror=\"document.title='owned'\">";

  static LocalTestnet net;
  static Gateway gateway;
  static final List<NumberResolver> agents = new ArrayList<>();
  static WebDriver browser;
  @TempDir static Path profile;

  @BeforeAll
  static void start() throws Exception {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new AssertionError("the web page test needs Debian's chromium and chromium-driver ("
          + CHROMIUM + ", " + CHROMEDRIVER + "): scripts/install-test-deps.sh installs them");
    }
    net = LocalTestnet.start(6);
    DhtNode node = net.node(0);
    NumberResolver gatewayResolver = NumberResolver.create(node, Identity.generate(), AgentProfile.named("gw"));
    agents.add(gatewayResolver);
    gateway = Gateway.start(net.vertx(), node, gatewayResolver, NodeMeters.create(node.metrics(), node::isReady),
        "127.0.0.1", 0).get(10, TimeUnit.SECONDS);
    agent(AgentProfile.named("Ada").withInterests("engines")).announce(ROOM).get(30, TimeUnit.SECONDS);
    agent(AgentProfile.named(HOSTILE_NAME)).announce(ROOM).get(30, TimeUnit.SECONDS);

    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1200,1600", "--user-data-dir=" + profile.resolve("chromium"), "--no-first-run",
            "--disable-extensions", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--metrics-recording-only", "--no-default-browser-check");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) {
        browser.quit();
      }
      agents.forEach(r -> r.closeAsync().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
      if (gateway != null) {
        gateway.close();
      }
    } finally {
      if (net != null) {
        net.close();
      }
    }
  }

  static NumberResolver agent(AgentProfile profile) {
    NumberResolver r = NumberResolver.create(net.addClient(), Identity.generate(), profile);
    agents.add(r);
    return r;
  }

  static WebDriverWait await() {
    return new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(50));
  }

  static List<String> rosterNames() {
    return browser.findElements(By.cssSelector("#roster li .name")).stream().map(WebElement::getText).toList();
  }

  @Test
  void dialAWatchTheRosterChangeListShardsAndFindAgents() throws Exception {
    long t0 = System.nanoTime();
    browser.get("http://127.0.0.1:" + gateway.port() + "/");
    WebElement input = browser.findElement(By.id("number"));
    assertEquals("Number or name", browser.findElement(By.cssSelector("label[for=number]")).getText());
    input.sendKeys(ROOM.toString(), Keys.ENTER);
    await().until(d -> rosterNames().size() == 2);
    double firstRosterMs = (System.nanoTime() - t0) / 1e6;
    assertTrue(rosterNames().containsAll(List.of("Ada", HOSTILE_NAME)), rosterNames().toString());
    // the hostile name is text: no element was made from it and its script did not run
    assertTrue(browser.findElements(By.cssSelector("#roster img")).isEmpty(), "an agent's name became markup");
    assertTrue(!"owned".equals(browser.getTitle()), "an agent's name ran as script");
    assertEquals(ROOM.toString(), browser.findElement(By.id("roster-title")).getText());

    // live: the watch opens (the page's policy allows its own WebSocket) and a newcomer appears without a reload
    await().until(d -> d.findElement(By.id("watch-state")).getText().equals("live"));
    long joined = System.nanoTime();
    agent(AgentProfile.named("Grace")).announce(ROOM).get(30, TimeUnit.SECONDS);
    await().until(d -> rosterNames().contains("Grace"));
    double liveMs = (System.nanoTime() - joined) / 1e6;
    await().until(d -> d.findElement(By.id("roster-live")).getText().contains("Grace joined"));
    Path shot = Path.of("target", "web-page.png"); // kept as a build artifact: the roster of a number, live
    Files.createDirectories(shot.getParent());
    Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

    // the shards: 71 buttons, named ones labelled, and choosing one dials it
    List<WebElement> shards = browser.findElements(By.cssSelector("#shards li button"));
    assertEquals(71, shards.size());
    assertEquals("Dial 744-196884-70, Moonshine", shards.get(70).getAttribute("aria-label"));
    shards.get(70).click();
    await().until(d -> d.findElement(By.id("roster-title")).getText().equals("744-196884-70 · Moonshine"));

    // find agents by interest
    browser.findElement(By.id("interest")).sendKeys("engines", Keys.ENTER);
    await().until(d -> d.findElements(By.cssSelector("#interest-results .name")).stream()
        .anyMatch(e -> e.getText().equals("Ada")));

    // a bad number is named, in the alert region
    WebElement number = browser.findElement(By.id("number"));
    number.clear();
    number.sendKeys("744-196884-x", Keys.ENTER);
    await().until(d -> !d.findElement(By.id("dial-error")).getText().isEmpty());
    assertTrue(browser.findElement(By.id("dial-error")).getText().contains("744-196884-x"),
        browser.findElement(By.id("dial-error")).getText());

    // the node's own panel filled from /status
    await().until(d -> d.findElements(By.cssSelector("#node-facts dd")).size() >= 7);
    // every input has a label, for screen readers
    for (WebElement in : browser.findElements(By.cssSelector("input"))) {
      String id = in.getAttribute("id");
      assertEquals(1, browser.findElements(By.cssSelector("label[for='" + id + "']")).size(), "label for " + id);
    }

    System.out.printf("web page: first roster %.0f ms after load began; a join shown %.0f ms after its announce "
        + "returned; page weight %d bytes; screenshot %s%n", firstRosterMs, liveMs, gateway.pageWeight(),
        shot.toAbsolutePath());
  }

  /**
   * A roster read before the watch started misses whoever joined in between, and the watch never tells of them (it
   * reports changes after its start): the page reads the number again once the watch is live. Here the page's first
   * reading is made stale on purpose, Ada taken out of the {@code /dial} answer as if it had been read just before
   * she joined; she must still appear. (Seen in the testbed: a page whose watch opened a second after a Java agent
   * joined never showed it.)
   */
  @Test
  void aRosterReadBeforeTheWatchStartedIsReadAgainOnceItHas() {
    browser.get("http://127.0.0.1:" + gateway.port() + "/");
    JavascriptExecutor js = (JavascriptExecutor) browser;
    js.executeScript("const real = window.fetch; window.dialReadings = 0;"
        + "window.fetch = async (input, init) => { const res = await real(input, init);"
        + "  if (!String(input).includes('/dial/') || window.dialReadings++ > 0) return res;"
        + "  const body = await res.json(); body.roster = body.roster.filter(a => a.name !== 'Ada');"
        + "  return new Response(JSON.stringify(body), { status: res.status, headers: res.headers }); };");
    browser.findElement(By.id("number")).sendKeys(ROOM.toString(), Keys.ENTER);
    await().until(d -> d.findElement(By.id("watch-state")).getText().equals("live"));
    await().until(d -> rosterNames().contains("Ada"));
    assertEquals(2L, js.executeScript("return window.dialReadings"), "read before the watch started and after");
  }

  /** The {@code js} block of docs/operators.md runs in the page as written, against this test's node. */
  @Test
  void theOperatorGuidesBrowserSnippetRuns() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "operators.md"));
    int start = doc.indexOf("```js\n");
    assertTrue(start >= 0, "docs/operators.md has no js block");
    String snippet = doc.substring(start + 6, doc.indexOf("```", start + 6));
    String here = "127.0.0.1:" + gateway.port();
    // a module's static import becomes a dynamic one, so that the block can run as a script; the rest is as written
    String script = snippet.replace("127.0.0.1:8440", here)
        .replaceFirst("import \\{ Gateway \\} from (\"[^\"]+\");", "const { Gateway } = await import($1);");
    browser.get("http://" + here + "/");
    Object result = ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "(async () => {" + script + "; watch.close(); return roster.roster.map(a => a.name).sort(); })()"
            + ".then(done, e => done('failed: ' + e));");
    assertTrue(result instanceof List<?> names && names.contains("Ada"), String.valueOf(result));
  }

  /**
   * The browser as an agent: its key made and kept by WebCrypto, its presence signed in the page and passed on by
   * the node; a Java agent sees it with the browser's key, and sees it leave.
   */
  @Test
  void aBrowserJoinsANumberWithItsOwnKeyAndJavaAgentsSeeItComeAndGo() throws Exception {
    DialNumber number = DialNumber.parse("744-196884-64");
    NumberResolver java = agent(AgentProfile.named("Java watcher"));
    java.util.concurrent.LinkedBlockingQueue<String> heard = new java.util.concurrent.LinkedBlockingQueue<>();
    var watch = java.watch(number, e -> heard.add(e.type() + " " + e.agent().name()));
    watch.ready().get(30, TimeUnit.SECONDS);
    browser.get("http://127.0.0.1:" + gateway.port() + "/?dial=" + number);
    await().until(d -> d.findElement(By.id("roster-title")).getText().equals(number.toString()));
    browser.findElement(By.id("my-name")).sendKeys("Bea", Keys.ENTER);
    await().until(d -> d.findElement(By.id("me")).getText().startsWith("You are on " + number + " as Bea"));
    String keyPrefix = browser.findElement(By.id("me")).getText().replaceFirst(".*\\(key ([0-9a-f]{16}).*", "$1");

    var seen = java.discover(number).get(30, TimeUnit.SECONDS).agents().stream()
        .filter(a -> a.name().equals("Bea")).toList();
    assertEquals(1, seen.size(), "a Java agent sees the browser on the number");
    assertTrue(seen.get(0).agent().toHex().startsWith(keyPrefix), "with the key the browser made: " + keyPrefix);
    assertEquals("JOINED Bea", heard.poll(30, TimeUnit.SECONDS));
    await().until(d -> rosterNames().contains("Bea")); // and the page's own watch shows it

    browser.findElement(By.id("leave")).click();
    await().until(d -> d.findElement(By.id("me")).getText().startsWith("You left"));
    assertEquals("LEFT Bea", heard.poll(30, TimeUnit.SECONDS));
    watch.cancel();
  }

  /**
   * Bad signals and a page: the node tells the page why it refuses what the page posts (a forged signature, a signal
   * claiming another key, an oversized one, a flood), and the page checks what the node delivers again: an answer
   * nobody asked for is refused as UNEXPECTED, the same signal again as REPLAYED.
   */
  @Test
  void aPageIsToldWhyItsSignalsAreRefusedAndRefusesWhatItDidNotAskFor() throws Exception {
    DialNumber number = DialNumber.parse("744-196884-65");
    browser.get("http://127.0.0.1:" + gateway.port() + "/?dial=" + number);
    await().until(d -> d.findElement(By.id("roster-title")).getText().equals(number.toString()));
    browser.findElement(By.id("my-name")).sendKeys("Cleo", Keys.ENTER);
    await().until(d -> d.findElement(By.id("me")).getText().startsWith("You are on " + number + " as Cleo"));
    var js = (org.openqa.selenium.JavascriptExecutor) browser;
    PublicKey cleo = PublicKey.ofHex((String) js.executeScript("return window.dialtone.me().agent.key"));

    Identity mallory = Identity.generate();
    Identity victim = Identity.generate();
    byte[] forged = SignalCodec.encode(signal(mallory, mallory, cleo, SignalKind.REQUEST));
    forged[forged.length - 1] ^= 1;
    byte[] impersonating = SignalCodec.encode(signal(victim, mallory, cleo, SignalKind.REQUEST));
    String post = "const [hexes, done] = arguments; const { Gateway } = await import('/dialtone.js');"
        + "const gw = new Gateway(); const out = [];"
        + "for (const h of hexes) { const b = new Uint8Array(h.match(/../g).map(x => parseInt(x, 16)));"
        + "  try { out.push('ok ' + JSON.stringify(await gw.postSignal(b))); } catch (e) { out.push(e.code); } }"
        + "return out;";
    Object codes = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "(async () => { " + post.replace("const [hexes, done] = arguments;", "const hexes = arguments[0];")
        + " })().then(done, e => done('failed: ' + e));",
        List.of(HexFormat.of().formatHex(forged), HexFormat.of().formatHex(impersonating),
            HexFormat.of().formatHex(new byte[3000])));
    assertEquals(List.of("BAD_SIGNATURE", "BAD_SIGNATURE", "BODY_TOO_LARGE"), codes);

    // the node passes on a well-signed answer for a session Cleo never opened, twice: Cleo's own check refuses both
    byte[] stray = SignalCodec.encode(signal(mallory, mallory, cleo, SignalKind.ANSWER));
    Object twice = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "(async () => { " + post.replace("const [hexes, done] = arguments;", "const hexes = arguments[0];")
        + " })().then(done, e => done('failed: ' + e));",
        List.of(HexFormat.of().formatHex(stray), HexFormat.of().formatHex(stray)));
    assertEquals(List.of("ok {\"delivered\":true}", "ok {\"delivered\":true}"), twice);
    await().until(d -> String.valueOf(js.executeScript(
        "return JSON.stringify(window.dialtone.me().agent.refusedSignals)")).equals("{\"UNEXPECTED\":1,\"REPLAYED\":1}"));

    // a flood from this page: the node's limit per network, told to the page as RATE_LIMITED
    byte[] fine = SignalCodec.encode(signal(mallory, mallory, Identity.generate().publicKey(), SignalKind.REQUEST));
    List<String> many = java.util.Collections.nCopies(40, HexFormat.of().formatHex(fine));
    Object flood = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "(async () => { " + post.replace("const [hexes, done] = arguments;", "const hexes = arguments[0];")
        + " })().then(done, e => done('failed: ' + e));", many);
    List<?> results = (List<?>) flood;
    assertTrue(results.stream().filter("RATE_LIMITED"::equals).count() >= 10, String.valueOf(results));
    assertTrue(results.stream().allMatch(r -> r.equals("RATE_LIMITED") || r.equals("NOT_ATTACHED")
        || r.equals("RECIPIENT_RATE_LIMITED")), String.valueOf(results));
  }

  static SignedSignal signal(Identity claimed, Identity signer, PublicKey to, SignalKind kind) {
    long now = System.currentTimeMillis();
    SignalBody body = new SignalBody(kind, SignalTransport.WEBRTC, NatType.UNKNOWN, Refusal.NONE,
        claimed.publicKey(), to, Nonce128.random(), Nonce128.random(), now, now + 30_000, List.of(),
        "v=0\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    SignalBody signed = new SignalBody(kind, body.transport(), body.nat(), body.refusal(), signer.publicKey(), to,
        body.session(), body.nonce(), now, now + 30_000, List.of(), body.payload());
    return new SignedSignal(body, SignedSignal.sign(signed, signer).signature());
  }
}
