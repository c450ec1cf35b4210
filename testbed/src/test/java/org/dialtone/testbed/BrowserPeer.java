package org.dialtone.testbed;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person at the node's web page, in a lab host: {@code BrowserPeer ROLE NODE_URL NUMBER NAME PEER PROFILE_DIR
 * SCRATCH_DIR} starts chromedriver and headless Chromium inside the host's namespace (the test's JVM cannot reach into a lab), opens
 * the page, dials NUMBER, joins it as NAME and waits to see PEER on the roster. The {@code caller} then opens a chat
 * (a WebRTC data channel, signaled through the node), says hello, waits for the answer, sends a burst of messages
 * and opens {@value #EXTRA_CONNECTIONS} more channels for the timing; the {@code callee} answers. Each step is one
 * line on standard output ({@code peer ...}), which the test reads from the host's log; a failure is a line
 * {@code peer FAILED ...} and exit 1. Runs until its script is done (the callee until the lab kills it).
 */
public final class BrowserPeer {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** Messages in the burst that measures the data channel's message rate. */
  static final int BURST = 2000;
  /** Channels opened after the first, for the median time from offer to open. */
  static final int EXTRA_CONNECTIONS = 4;

  private final WebDriver browser;
  private final String name;
  private final String peer;
  private final Path profile;

  private BrowserPeer(WebDriver browser, String name, String peer, Path profile) {
    this.browser = browser;
    this.profile = profile;
    this.name = name;
    this.peer = peer;
  }

  public static void main(String[] args) {
    String role = args[0];
    String url = args[1];
    String number = args[2];
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--user-data-dir=" + Path.of(args[5]).toAbsolutePath(), "--no-first-run", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-default-browser-check",
            // WebCrypto (the agent's key) exists only in a secure context: https or localhost. The node serves
            // plain HTTP, so the lab declares its origin secure, as an operator's TLS proxy would make it.
            "--unsafely-treat-insecure-origin-as-secure=" + url,
            // host candidates as addresses, not mDNS names (nothing in the lab answers mDNS for them)
            "--disable-features=WebRtcHideLocalIpsWithMdns");
    Path tmp = scratch(Path.of(args[6]).toAbsolutePath());
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().withEnvironment(java.util.Map.of("TMPDIR", tmp.toString()))
        .withLogFile(Path.of(args[5]).toAbsolutePath().resolveSibling("chromedriver-" + role + ".log").toFile())
        .build();
    WebDriver browser = null;
    int exit = 0;
    try {
      browser = new ChromeDriver(service, options);
      say("browser started");
      awaitHealthy(url); // the browser starts while the node does: both take seconds on a loaded machine
      BrowserPeer p = new BrowserPeer(browser, args[3], args[4], Path.of(args[5]).toAbsolutePath());
      p.join(url, number);
      if (role.equals("caller")) {
        p.call();
      } else if (role.equals("java-caller")) {
        p.callJava();
      } else {
        p.answer();
      }
    } catch (Throwable e) {
      say("FAILED " + e.toString().replace('\n', ' '));
      if (browser != null) {
        for (String id : List.of("dial-error", "me", "chat-state")) {
          say("page #" + id + ": " + browser.findElements(By.id(id)).stream().map(WebElement::getText).toList());
        }
      }
      exit = 1;
    } finally {
      if (browser != null) {
        browser.quit();
      }
    }
    System.exit(exit);
  }

  private static final long STARTED = System.nanoTime();

  /**
   * Chromium binds its singleton socket at {@code $TMPDIR/.org.chromium.Chromium.XXXXXX/SingletonSocket}; a Unix
   * socket's path holds at most 107 bytes, and past that Chromium exits at start ("Chrome instance exited"). A lab's
   * directory under a deep checkout is too long for it, so the scratch directory is a short one the test owns.
   */
  private static Path scratch(Path dir) {
    int socketPath = dir.toString().length() + "/.org.chromium.Chromium.XXXXXX/SingletonSocket".length();
    if (socketPath > 107) {
      throw new IllegalArgumentException("Chromium's scratch directory " + dir + " is too long: its socket path would"
          + " be " + socketPath + " bytes, a Unix socket takes at most 107");
    }
    try {
      return java.nio.file.Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot make " + dir, e);
    }
  }

  /** Waits until the node's gateway says it is ready ({@code /health} 200), 180 s at most. */
  private static void awaitHealthy(String url) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        var c = (java.net.HttpURLConnection) new java.net.URL(url + "/health").openConnection();
        c.setConnectTimeout(2_000);
        c.setReadTimeout(5_000);
        int status = c.getResponseCode();
        c.disconnect();
        if (status == 200) {
          say("node ready");
          return;
        }
        last = "status " + status;
      } catch (java.io.IOException e) {
        last = e.toString();
      }
      Thread.sleep(100); // a poll with a deadline, in a driver process (not a test's wait)
    }
    throw new IllegalStateException("the node at " + url + " was not ready within 180 s: " + last);
  }

  static void say(String line) {
    System.out.printf("[%6.1f s] peer %s%n", (System.nanoTime() - STARTED) / 1e9, line);
    System.out.flush();
  }

  private WebDriverWait await(int seconds) {
    return new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(20));
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  private Object asyncJs(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeAsyncScript(script, args);
  }

  private void join(String url, String number) {
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    long t0 = System.nanoTime();
    browser.get(url + "/?dial=" + number);
    await(60).until(d -> d.findElement(By.id("roster-title")).getText().equals(number));
    // bytes on first load: the page and its assets, and with the API answers it read
    Object weight = js("const all = performance.getEntriesByType('navigation').concat("
        + "performance.getEntriesByType('resource'));"
        + "const assets = all.filter(e => e.entryType === 'navigation' || /\\/web\\/|dialtone\\.js/.test(e.name));"
        + "const sum = l => l.reduce((n, e) => n + e.transferSize, 0);"
        + "return sum(assets) + ' ' + sum(all);");
    say("page weight " + weight);
    browser.findElement(By.id("my-name")).sendKeys(name, Keys.ENTER);
    await(60).until(d -> d.findElement(By.id("me")).getText().startsWith("You are on " + number + " as " + name));
    say("joined as " + name);
    await(90).until(d -> peerItem().isPresent());
    say(String.format("roster shows %s %.0f ms after the page began loading", peer, (System.nanoTime() - t0) / 1e6));
  }

  private java.util.Optional<WebElement> peerItem() {
    return browser.findElements(By.cssSelector("#roster li")).stream()
        .filter(li -> li.findElements(By.cssSelector(".name")).stream().anyMatch(n -> n.getText().equals(peer)))
        .findFirst();
  }

  /**
   * Clicks the peer's Chat button and waits for the data channel; says how long it took and which addresses ICE
   * chose ({@code ice gathered ...; pair ...}). Returns the milliseconds from offer to open, as a list to add to.
   */
  private List<Long> openChat() {
    WebElement item = peerItem().orElseThrow();
    item.findElement(By.cssSelector(".chat-btn")).click();
    await(60).until(d -> "open".equals(d.findElement(By.id("chat-state")).getAttribute("data-state"))
        || d.findElement(By.id("chat-state")).getText().startsWith("Could not"));
    WebElement state = browser.findElement(By.id("chat-state"));
    if (!"open".equals(state.getAttribute("data-state"))) {
      throw new AssertionError("no channel: " + state.getText());
    }
    List<Long> millis = new ArrayList<>(List.of(Long.parseLong(state.getAttribute("data-millis"))));
    say("channel open: " + state.getText());
    // which addresses ICE chose, and what this browser gathered (srflx: its mapping, from the node's STUN)
    say("ice " + asyncJs("const done = arguments[0]; window.dialtone.chat().stats().then(r => {"
        + "const all = [...r.values()]; const byId = id => all.find(s => s.id === id);"
        + "const pair = all.find(s => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');"
        + "const c = s => s ? s.candidateType + ' ' + s.address + ':' + s.port : 'none';"
        + "const gathered = all.filter(s => s.type === 'local-candidate').map(s => s.candidateType).sort();"
        + "done('gathered ' + gathered.join(',') + '; pair ' + c(pair && byId(pair.localCandidateId)) + ' -> '"
        + "  + c(pair && byId(pair.remoteCandidateId))); });"));
    return millis;
  }

  private void call() {
    String peerKey = peerItem().orElseThrow().getAttribute("data-agent");
    List<Long> millis = openChat();
    chatBothWays();
    try { // the page with the chat, kept beside the host's log
      java.nio.file.Files.write(profile.resolveSibling("chat.png"),
          ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    } catch (java.io.IOException e) {
      say("no screenshot: " + e);
    }

    // the burst: as fast as the channel's buffer allows; the callee counts and answers with its own clock
    Object burst = asyncJs("const [n, done] = arguments; const ch = window.dialtone.chat().channel;"
        + "const filler = 'x'.repeat(100); let i = 0; const t0 = performance.now();"
        + "ch.addEventListener('message', m => { if (m.data.startsWith('burst-got')) "
        + "  done(m.data + ' ' + Math.round(performance.now() - t0)); });"
        + "ch.bufferedAmountLowThreshold = 256 * 1024;"
        + "const pump = () => { while (i < n) { if (ch.bufferedAmount > 1024 * 1024) { ch.onbufferedamountlow = pump;"
        + "  return; } ch.send('burst ' + i++ + ' ' + filler); } ch.onbufferedamountlow = null; ch.send('burst-end'); };"
        + "pump();", BURST);
    say("burst " + burst);

    for (int i = 0; i < EXTRA_CONNECTIONS; i++) {
      Object ms = asyncJs("const [key, done] = arguments; window.dialtone.me().agent.connect(key)"
          + ".then(c => { c.close(); done(Math.round(c.millis)); }, e => done('failed: ' + e.code + ' ' + e.message));",
          peerKey);
      if (!(ms instanceof Number n)) {
        throw new AssertionError("connection " + (i + 2) + " " + ms);
      }
      millis.add(n.longValue());
    }
    say("offer to open ms " + millis);
    say("refused signals " + js("return JSON.stringify(window.dialtone.me().agent.refusedSignals)"));
    say("done");
  }

  /**
   * The {@code java-caller} role (BrowserJavaChatTest): calls a Java agent ({@code dialtone join --browsers}), says
   * hello and waits for its answer, then counts the {@value #BURST} lines the Java agent sends ({@code burst ...}) on
   * this page's clock, then opens {@value #EXTRA_CONNECTIONS} more channels for the timing.
   */
  private void callJava() {
    String peerKey = peerItem().orElseThrow().getAttribute("data-agent");
    List<Long> millis = openChat();
    js("const ch = window.dialtone.chat().channel; const b = window.burst = { n: 0 };"
        + "ch.addEventListener('message', m => { if (typeof m.data === 'string' && m.data.startsWith('burst ')) {"
        + "  if (b.n++ === 0) b.first = performance.now(); b.last = performance.now(); } });");
    chatBothWays();
    say("burst listening");
    Object burst = asyncJs("const [n, done] = arguments; const b = window.burst; const t0 = performance.now();"
        + "const check = () => { if (b.n >= n || performance.now() - t0 > 55000) "
        + "  done('burst-got ' + b.n + ' ' + Math.round((b.last ?? 0) - (b.first ?? 0))); else setTimeout(check, 20); };"
        + "check();", BURST);
    say("burst " + burst);
    // each channel stays until the Java agent says "ack N" on it (the test types that once the agent saw it open):
    // a channel closed at once may be gone before the agent hears of it
    for (int i = 0; i < EXTRA_CONNECTIONS; i++) {
      Object ms = asyncJs("const [key, i, done] = arguments; window.dialtone.me().agent.connect(key).then(c => {"
          + "const ms = Math.round(c.millis); const t = setTimeout(() => { c.close(); done('failed: no ack ' + i); }, 50000);"
          + "c.channel.addEventListener('message', m => { if (m.data === 'ack ' + i) { clearTimeout(t); c.close(); done(ms); } });"
          + "}, e => done('failed: ' + e.code + ' ' + e.message));", peerKey, i);
      if (!(ms instanceof Number n)) {
        throw new AssertionError("connection " + (i + 2) + " " + ms);
      }
      millis.add(n.longValue());
    }
    say("offer to open ms " + millis);
    say("refused signals " + js("return JSON.stringify(window.dialtone.me().agent.refusedSignals)"));
    say("done");
  }

  private void answer() {
    await(90).until(d -> "open".equals(d.findElement(By.id("chat-state")).getAttribute("data-state")));
    say("channel open: " + browser.findElement(By.id("chat-state")).getText());
    js("const ch = window.dialtone.chat().channel; const b = window.burst = { n: 0 };"
        + "ch.addEventListener('message', m => {"
        + "  if (m.data.startsWith('burst ')) { if (b.n++ === 0) b.first = performance.now(); b.last = performance.now(); }"
        + "  else if (m.data === 'burst-end') ch.send('burst-got ' + b.n + ' ' + Math.round(b.last - b.first)); });");
    chatBothWays();
    await(120).until(d -> !"0".equals(String.valueOf(js("return String(window.burst.n)"))));
    say("burst arriving");
    try {
      Thread.currentThread().join(); // the caller opens more channels to this page; the lab ends it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Says hello and waits for the peer's, in the page's chat. */
  private void chatBothWays() {
    browser.findElement(By.id("chat-input")).sendKeys("hello from " + name, Keys.ENTER);
    String expected = peer + ": hello from " + peer;
    // read in one script: the log drops old lines as new ones come, so elements found one call earlier go stale
    await(60).until(d -> Boolean.TRUE.equals(js("return [...document.querySelectorAll('#chat-log li')]"
        + ".some(li => li.textContent === arguments[0])", expected)));
    say("heard '" + expected + "'");
  }

  /**
   * What a calling page's log says of its data channels: the burst's count (asserted whole), its receiver's first to
   * last time and rate, and each channel's time from offer to open, sorted.
   */
  record ChannelFigures(long burstMillis, double burstPerSecond, List<Long> openMillis) {
    static ChannelFigures of(String log) {
      java.util.regex.Matcher burst = java.util.regex.Pattern.compile("peer burst burst-got (\\d+) (\\d+)")
          .matcher(log);
      if (!burst.find() || Integer.parseInt(burst.group(1)) != BURST) {
        throw new AssertionError("not every message of the burst of " + BURST + " arrived: " + log);
      }
      long burstMillis = Long.parseLong(burst.group(2));
      java.util.regex.Matcher open = java.util.regex.Pattern.compile("peer offer to open ms \\[([0-9, ]+)]")
          .matcher(log);
      if (!open.find()) {
        throw new AssertionError("no offer-to-open times: " + log);
      }
      List<Long> millis = new ArrayList<>(java.util.Arrays.stream(open.group(1).split(",\\s*")).map(Long::parseLong)
          .toList());
      millis.sort(Long::compare);
      return new ChannelFigures(burstMillis, (BURST - 1) * 1000.0 / Math.max(1, burstMillis), List.copyOf(millis));
    }

    long medianOpenMillis() {
      return openMillis.get(openMillis.size() / 2);
    }
  }

  /** The value of the counter {@code name} with {@code result="<result>"} in a node's metrics page; 0 if none. */
  static double metricValue(String metrics, String name, String result) {
    return metrics.lines().filter(l -> l.startsWith(name + "{") && l.contains("result=\"" + result + "\""))
        .findFirst().map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
  }

  /**
   * Waits up to {@code step} until {@code p}'s output matches {@code pattern}; fails at once, with both peers' logs,
   * when either reports a failure ({@code peer FAILED}) or ends.
   */
  static java.util.regex.Matcher awaitMatch(LabProcess p, java.util.regex.Pattern pattern, LabProcess other,
      Duration step) {
    long deadline = System.nanoTime() + step.toNanos();
    while (true) {
      java.util.regex.Matcher m = pattern.matcher(p.output());
      if (m.find()) {
        return m;
      }
      for (LabProcess x : List.of(p, other)) {
        if (x.output().contains("peer FAILED") || !x.isAlive()) {
          throw new AssertionError(x + " failed:\n" + x.output() + "\n---- " + (x == p ? other : p) + ":\n"
              + (x == p ? other : p).output());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(p + " did not print '" + pattern + "' within " + step + ":\n" + p.output()
            + "\n---- " + other + ":\n" + other.output());
      }
      LabHost.sleepBriefly();
    }
  }

  /**
   * Starts a browser peer on {@code host}: a process the lab kills with the rest. Chromium's scratch files go under
   * {@code scratch} (a short path; see {@link #scratch}), which the caller removes after the lab.
   */
  static LabProcess start(LabHost host, String role, String nodeUrl, String number, String name, String peer,
      Path scratch) {
    List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx128m",
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        BrowserPeer.class.getName(), role, nodeUrl, number, name, peer,
        host.dir().resolve("chromium-" + role).toString(), scratch.resolve(role).toString());
    return host.startCommand("browser-" + role, cmd);
  }
}
