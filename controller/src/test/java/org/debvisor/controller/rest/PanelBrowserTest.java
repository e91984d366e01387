package org.debvisor.controller.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.NodeRepository;
import org.debvisor.controller.inventory.NodeRow;
import org.debvisor.controller.inventory.NodeState;
import org.debvisor.controller.isolibrary.IsoLibrary;
import org.debvisor.controller.isolibrary.TestIsoLibraries;
import org.debvisor.controller.server.ControllerSettings;
import org.debvisor.controller.server.RunningController;
import org.debvisor.controller.server.TestNode;
import org.debvisor.proto.CephDetails;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.HypervisorDetails;
import org.debvisor.proto.KubernetesDetails;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;
import org.debvisor.proto.SystemDetails;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web panel in Debian's headless Chromium against a real controller holding 1 000 nodes (rows
 * written into its inventory before it starts, so no 1 000 enrolments): log in, filter, open a
 * node, a viewer refused revoking it, an admin's token and audit pages, log out, and a node whose
 * hostname is markup rendered as text. With {@code -Ddebvisor.screenshots=DIR} it also saves the
 * main pages as PNG files there (docs/panel/).
 */
class PanelBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final int NODES = 1_000;
  private static final String XSS = "<img src=x onerror=\"document.title='pwned'\">";
  private static final String XSS_ID = "node-xss";
  private static final String VIEWER_PASSWORD = "viewer-password-123";
  private static final String ADMIN_PASSWORD = "admin-password-123";
  // Bounds the waits for the page under a loaded machine; nothing is timed.
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir static Path state;
  @TempDir static Path files;
  @TempDir static Path profile;
  @TempDir static Path isos;

  private static RunningController ctl;
  private static WebDriver browser;
  private static WebDriverWait wait;
  private static String base;
  private static HttpsApi api;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the panel's browser test needs Debian's chromium and chromium-driver"
            + " (scripts/test.sh installs them; apt-get install chromium chromium-driver)");
    seed(state.resolve("controller.db"));
    IsoLibrary.Settings library =
        TestIsoLibraries.fromDebian(isos, state.resolve("pki/ca.pem"), false);
    // One event stream per user, so a stream the test holds makes the rollouts page fall back.
    ctl =
        RunningController.start(
            state,
            s ->
                s.withRest(
                    new ControllerSettings.RestListen(
                            "127.0.0.1",
                            0,
                            new EventStreamLimits(
                                1, 16, Duration.ofSeconds(15), Duration.ofSeconds(1)))
                        .withIsos(library)));
    int port = ctl.controller.restAddress().orElseThrow().getPort();
    base = "https://127.0.0.1:" + port;
    api = new HttpsApi(ctl.caFile(), port);
    addUser("viewer", "viewer", VIEWER_PASSWORD);
    addUser("admin", "admin", ADMIN_PASSWORD);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        "--user-data-dir=" + profile);
    // The controller's certificate comes from its own test CA, which this profile does not trust.
    options.setAcceptInsecureCerts(true);
    // The console, for the failure messages of until().
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, PATIENCE);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (ctl != null) {
      ctl.close();
    }
  }

  /** 1 000 nodes over three profiles and two clusters, one with markup as its hostname. */
  private static void seed(Path dbFile) {
    Instant now = Instant.now();
    NodeRepository nodes = new NodeRepository();
    byte[] facts = TestNode.facts("amd64", 2).toByteArray();
    try (Database db = Database.open(dbFile)) {
      db.write(
          c -> {
            for (int i = 0; i < NODES; i++) {
              String profile = List.of("ceph", "compute", "k8s").get(i % 3);
              String id = i == 0 ? XSS_ID : String.format("node-%04d", i);
              String hostname = i == 0 ? XSS : String.format("host-%04d", i);
              nodes.upsertEnrolment(
                  c,
                  new NodeRow(
                      id,
                      hostname,
                      profile,
                      i % 2 == 0 ? "default" : "edge",
                      "amd64",
                      "192.0.2.1:7443",
                      "0.9.0",
                      NodeState.ACTIVE,
                      now,
                      now,
                      String.format("%04x", i),
                      now.plus(Duration.ofDays(30)),
                      status(i, profile).toByteArray(),
                      facts,
                      "fp",
                      null,
                      ""));
            }
            return null;
          });
    }
  }

  private static NodeStatus status(int i, String profile) {
    HealthState overall =
        i % 25 == 0
            ? HealthState.HEALTH_ERROR
            : i % 10 == 0 ? HealthState.HEALTH_WARN : HealthState.HEALTH_OK;
    NodeStatus.Builder s =
        NodeStatus.newBuilder()
            .setState(overall)
            .setSummary(i == 0 ? XSS : "system: ok")
            .setRevision(1);
    SubsystemStatus.Builder sub = SubsystemStatus.newBuilder().setState(overall);
    switch (profile) {
      case "ceph" ->
          s.addSubsystems(
              sub.clone()
                  .setSubsystem(Subsystem.SUBSYSTEM_CEPH)
                  .setMessage("HEALTH_OK")
                  .setCeph(
                      CephDetails.newBuilder().setFsid("fsid-1").setHealthStatus("HEALTH_OK")));
      case "compute" ->
          s.addSubsystems(
              sub.clone()
                  .setSubsystem(Subsystem.SUBSYSTEM_HYPERVISOR)
                  .setMessage("libvirt reachable")
                  .setHypervisor(
                      HypervisorDetails.newBuilder()
                          .setUri("qemu:///system")
                          .setLibvirtReachable(true)));
      default ->
          s.addSubsystems(
              sub.clone()
                  .setSubsystem(Subsystem.SUBSYSTEM_KUBERNETES)
                  .setMessage("node Ready")
                  .setKubernetes(
                      KubernetesDetails.newBuilder().setApiserverReady(true).setNodeName("k")));
    }
    s.addSubsystems(
        SubsystemStatus.newBuilder()
            .setSubsystem(Subsystem.SUBSYSTEM_SYSTEM)
            .setState(HealthState.HEALTH_OK)
            .setMessage("load normal")
            .setSystem(SystemDetails.newBuilder().setLoad1(0.5).setCpuCount(16)));
    return s.build();
  }

  private static void addUser(String name, String role, String password) throws IOException {
    RestApiTest.addUser(state, files, name, role, password);
  }

  private static WebElement byId(String id) {
    return until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  private static void waitForText(String id, String text) {
    until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
  }

  /** Waits for {@code condition}; a timeout shows what the page and its console held. */
  private static <T> T until(java.util.function.Function<? super WebDriver, T> condition) {
    try {
      return wait.until(condition);
    } catch (org.openqa.selenium.TimeoutException e) {
      StringBuilder console = new StringBuilder();
      browser.manage().logs().get(LogType.BROWSER).forEach(l -> console.append(l).append('\n'));
      throw new AssertionError(
          e.getMessage().lines().findFirst().orElse("timeout")
              + "\nat "
              + browser.getCurrentUrl()
              + "\nconsole:\n"
              + console
              + "page:\n"
              + browser.getPageSource(),
          e);
    }
  }

  private static void logIn(String user, String password) {
    // Start signed out whatever an earlier test left behind.
    browser.get(base + "/api/health");
    browser.manage().deleteAllCookies();
    browser.get(base + "/panel/");
    byId("login-user").sendKeys(user);
    byId("login-password").sendKeys(password);
    byId("login-submit").click();
    waitForText("who", user + " (");
  }

  private static void logOut() {
    byId("logout").click();
    waitForText("login-error", "Logged out");
    // The server ended the session: a fresh load asks for the login again.
    browser.navigate().refresh();
    byId("login-user");
    assertThat(browser.findElement(By.id("nav")).isDisplayed()).isFalse();
  }

  private static void go(String hash) {
    browser.get(base + "/panel/#/" + hash);
  }

  private static void screenshot(String name) throws IOException {
    String dir = System.getProperty("debvisor.screenshots", "");
    if (dir.isEmpty()) {
      return;
    }
    Files.createDirectories(Path.of(dir));
    Files.write(
        Path.of(dir, name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private static int renderedRows() {
    return browser.findElements(By.cssSelector("#node-list .vrow")).size();
  }

  @Test
  void viewerBrowsesFiltersOpensANodeIsRefusedRevokingAndLogsOut() throws Exception {
    logIn("viewer", VIEWER_PASSWORD);
    waitForText("fleet-total", NODES + " nodes");
    assertThat(browser.findElement(By.id("nav-tokens")).isDisplayed()).isFalse();
    assertThat(browser.findElement(By.id("nav-isos")).isDisplayed()).isFalse();
    screenshot("overview");

    go("nodes");
    waitForText("node-count", NODES + " nodes");
    printFirstRender();
    // Virtual scrolling: only the rows in view (and a margin) are in the page.
    assertThat(renderedRows()).isBetween(10, 80);
    ((JavascriptExecutor) browser)
        .executeScript(
            "const s = document.getElementById('node-list'); s.scrollTop = s.scrollHeight;");
    // The pages behind the first are fetched as the list scrolls to them.
    until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#node-list .vrow[data-id='node-0999']")));
    assertThat(renderedRows()).isBetween(10, 80);
    screenshot("nodes");

    WebElement selector = byId("selector");
    selector.clear();
    selector.sendKeys("profile=ceph,cluster=edge");
    browser.findElement(By.cssSelector("#filter button")).click();
    // i % 3 == 0 and i odd: i = 3, 9, 15, ... 999.
    waitForText("node-count", "167 nodes");
    selector.clear();
    selector.sendKeys("profile==");
    browser.findElement(By.cssSelector("#filter button")).click();
    waitForText("nodes-error", "selector");

    go("nodes/" + "hostname%3Dhost-0042");
    waitForText("node-count", "1 nodes");
    until(ExpectedConditions.elementToBeClickable(By.linkText("host-0042"))).click();
    waitForText("node-hostname", "host-0042");
    assertThat(browser.findElements(By.cssSelector(".subsystem"))).hasSize(4);
    assertThat(browser.findElement(By.cssSelector("[data-subsystem=ceph]")).getText())
        .contains("fsid-1");
    screenshot("node");

    byId("revoke-reason").sendKeys("viewer tries");
    byId("revoke").click();
    waitForText("revoke-error", "needs the role operator");
    assertThat(byId("node-enrolment").getText()).isEqualTo("ENROLMENT_ACTIVE");
    browser.navigate().refresh();
    waitForText("node-enrolment", "ENROLMENT_ACTIVE");

    // Users are the admin's: no link, and the server refuses the page's request.
    assertThat(browser.findElement(By.id("nav-users")).isDisplayed()).isFalse();
    go("users");
    until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("view"), "needs the role admin or higher"));
    assertThat(browser.findElements(By.cssSelector("#user-rows tr"))).isEmpty();

    logOut();
  }

  /**
   * Reloads the node list and prints navigation start → its first rows painted, from the
   * Performance API (a mark the page sets after that frame). Printed, never asserted: the machine
   * is shared; bench/ has the benchmark.
   */
  private static void printFirstRender() {
    browser.navigate().refresh();
    waitForText("node-count", NODES + " nodes");
    Object painted =
        until(
            d ->
                ((JavascriptExecutor) d)
                    .executeScript(PanelTiming.entryStartScript(), PanelTiming.NODES_PAINTED));
    System.out.printf(
        "panel first render: navigation start -> node list painted (%d nodes, first page of"
            + " 200): %.0f ms (load average %s)%n",
        NODES, ((Number) painted).doubleValue(), loadAverage());
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Test
  void nodeReportedMarkupIsShownAsText() {
    logIn("viewer", VIEWER_PASSWORD);
    go("nodes/" + "id%3D" + XSS_ID);
    waitForText("node-count", "1 nodes");
    assertThat(browser.findElement(By.cssSelector("#node-list .c-host")).getText()).isEqualTo(XSS);
    go("node/" + XSS_ID);
    waitForText("node-id", XSS_ID);
    assertThat(byId("node-hostname").getText()).isEqualTo(XSS);
    assertThat(byId("node-summary").getText()).isEqualTo(XSS);
    assertThat(browser.findElements(By.tagName("img"))).isEmpty();
    assertThat(browser.getTitle()).isEqualTo("DebVisor");
    logOut();
  }

  @Test
  void adminBuildsAnIsoFromANodeYamlAndARefusalAddsNothing() throws Exception {
    logIn("admin", ADMIN_PASSWORD);
    go("isos");
    String example;
    try (var in = PanelBrowserTest.class.getResourceAsStream("/examples/qemu-node.yaml")) {
      example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    fill("iso-node", example.replace("hostname: qemu-node", "hostname: panel-node"));
    browser.findElement(By.cssSelector("#iso-form button[type=submit]")).click();
    waitForText("iso-built", "Built debvisor-panel-node-amd64.iso");

    String sha = Sha256.hex(isos.resolve("debvisor-panel-node-amd64.iso"));
    assertThat(byId("iso-built").getText()).contains(sha);
    By row = By.cssSelector("#iso-rows tr[data-name='debvisor-panel-node-amd64.iso']");
    until(ExpectedConditions.textToBePresentInElementLocated(row, sha));
    assertThat(browser.findElement(row).findElement(By.tagName("a")).getAttribute("href"))
        .isEqualTo(base + "/api/v1/isos/debvisor-panel-node-amd64.iso");
    screenshot("isos");

    fill("iso-node", "hostname: \"not a host name\"\n");
    browser.findElement(By.cssSelector("#iso-form button[type=submit]")).click();
    waitForText("isos-error", "nothing was built");
    assertThat(browser.findElement(By.id("iso-built")).getText()).isEmpty();
    assertThat(browser.findElements(By.cssSelector("#iso-rows tr"))).hasSize(1);
    logOut();
  }

  /** Sets a text field's whole value at once (typing a node.yaml key by key takes seconds). */
  private static void fill(String id, String text) {
    ((JavascriptExecutor) browser)
        .executeScript("arguments[0].value = arguments[1]", byId(id), text);
  }

  @Test
  void adminCreatesAndRevokesATokenAndSeesTheAuditChainIntact() throws Exception {
    logIn("admin", ADMIN_PASSWORD);
    go("tokens");
    byId("token-hostname").sendKeys("newhost");
    browser.findElement(By.cssSelector("#token-form button")).click();
    waitForText("token-created", "dvb_");
    String shown = byId("token-created").getText();
    String id = shown.substring(shown.indexOf("dvb_") + 4, shown.indexOf("dvb_") + 20);
    By row = By.cssSelector("#token-rows tr[data-id='" + id + "']");
    until(ExpectedConditions.textToBePresentInElementLocated(row, "active"));
    screenshot("tokens");
    browser.findElement(row).findElement(By.tagName("button")).click();
    until(ExpectedConditions.textToBePresentInElementLocated(row, "expired"));

    go("audit");
    waitForText("audit-chain", "intact");
    until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-rows"), "token.revoke"));
    screenshot("audit");

    go("rollouts");
    waitForText("rollouts-mode", "live");
    screenshot("rollouts");

    manageAUser();

    // The admin's one stream held elsewhere: the page polls instead, and says so.
    try (EventStreamClient held = holdStream(HttpsApi.basic("admin", ADMIN_PASSWORD))) {
      go("rollouts");
      waitForText("rollouts-mode", "polling");
      until(ExpectedConditions.presenceOfElementLocated(By.id("rollout-rows")));
    }
    logOut();
  }

  /** Adds a user on the users page, changes the role, then removes the user. */
  private static void manageAUser() throws IOException {
    go("users");
    byId("user-name").sendKeys("erin");
    new org.openqa.selenium.support.ui.Select(byId("user-role")).selectByValue("operator");
    byId("user-password").sendKeys("erin-password-001");
    browser.findElement(By.cssSelector("#user-form button")).click();
    By erin = By.cssSelector("#user-rows tr[data-name='erin']");
    until(ExpectedConditions.textToBePresentInElementLocated(erin, "operator"));
    screenshot("users");
    new org.openqa.selenium.support.ui.Select(byId("role-erin")).selectByValue("viewer");
    browser.findElement(erin).findElement(By.className("user-set-role")).click();
    until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("#user-rows tr[data-name='erin'] .user-role"), "viewer"));
    browser.findElement(erin).findElement(By.className("user-delete")).click();
    waitForText("users-done", "erin removed");
    assertThat(browser.findElements(erin)).isEmpty();
  }

  /** Opens an event stream for the test, waiting while the page's closed one is still counted. */
  private static EventStreamClient holdStream(String auth) throws Exception {
    for (int i = 0; i < 100; i++) {
      EventStreamClient s =
          EventStreamClient.open(api, RolloutEventRoutes.PATH, "authorization", auth);
      if (s.status() == 200) {
        return s;
      }
      s.close();
      Thread.sleep(100);
    }
    throw new AssertionError("the page's event stream was never released");
  }
}
