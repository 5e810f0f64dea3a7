package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mcpgateway.examples.demo.ClockPlugin;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium, against the standalone runner with two demo clock plugins over HTTP on
 * loopback: the page lists both plugins' instances; calls made through the gateway raise the page's call count; a
 * plugin stopped shows as unhealthy, and its health change among the recent events. Uses the machine's
 * {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (Debian: {@code chromium chromium-driver}; {@code -Dchromium.binary=} and {@code -Dchromedriver.path=} point
 * elsewhere), never a downloaded one, and fails when they are missing rather than skip. With
 * {@code -Ddashboard.screenshot=<png>} it saves a screenshot of the page there (docs/dashboard.png is one).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DashboardBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final GatewayRunner.Options OPTIONS = new GatewayRunner.Options(false, WAIT, List.of());
    /**
     * Probes every second, one failure making an instance unhealthy: a stopped plugin refuses the next probe at once,
     * so it shows within a poll or two; a probe may take most of the second, so a busy machine does not fail a live
     * one.
     */
    private static final HealthConfig QUICK_HEALTH = new HealthConfig(true, Duration.ofSeconds(1),
            Duration.ofMillis(900), 1, 1, null, null, null, null, null, null, null);

    private final HttpClient http = HttpClient.newHttpClient();
    /** What the test started, closed last first. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    @AfterEach
    void closeAll() throws Exception {
        while (!started.isEmpty()) {
            started.pop().close();
        }
    }

    @Test
    void thePageShowsPluginsCallsAndAPluginGoingDown() throws Exception {
        ClockPlugin clock = ClockPlugin.start("127.0.0.1", 0);
        started.push(clock);
        ClockPlugin spare = ClockPlugin.start("127.0.0.1", 0);
        started.push(spare);
        RunnerConfig config = RunnerConfig.defaults().withServer(RunnerConfig.Server.at("127.0.0.1", 0))
                .withPlugins(List.of(RunnerConfig.Plugin.http("clock", clock.endpoint(), Map.of()),
                        RunnerConfig.Plugin.http("spare", spare.endpoint(), Map.of())))
                .withHealth(QUICK_HEALTH);
        GatewayRunner runner = GatewayRunner.start(config, OPTIONS);
        started.push(runner);
        String base = "http://" + runner.endpoint().getAuthority();
        assertEquals(201, send("PUT", base + "/api/v1/rules/clock-round-robin",
                "{\"match\":\"clock/*\",\"loadBalancer\":\"round-robin\",\"targets\":[{\"weight\":1}]}"));

        WebDriver browser = chromium();
        started.push(browser::quit);
        browser.get(base + "/dashboard");
        WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(100));
        // The page redraws its tables on every poll: an element read just as it is replaced is read again.
        wait.ignoring(StaleElementReferenceException.class);

        wait.withMessage("both plugins' instances listed as healthy").until(page ->
                health(page, "clock").equals("healthy") && health(page, "spare").equals("healthy"));
        wait.withMessage("the rules listing clock/*").until(page ->
                page.findElement(By.id("rules")).getText().contains("clock/*"));

        // Two batches, each awaited on the page: the count goes up with every poll that follows calls, and the
        // sparkline has rates from more than one interval to draw.
        long total = 0;
        for (int batch : new int[] {5, 10}) {
            for (int i = 0; i < batch; i++) {
                assertEquals(200, send("POST", base + "/api/v1/tools/clock__add/invoke",
                        "{\"arguments\":{\"a\":2,\"b\":" + i + "}}"));
            }
            total += batch;
            long expected = total;
            wait.withMessage("the page's call count of clock reaching " + total).until(page ->
                    calls(page, "clock") == expected);
        }

        spare.close();
        wait.withMessage("the stopped plugin's instance shown as unhealthy").until(page ->
                health(page, "spare").equals("unhealthy"));
        wait.withMessage("unhealthy said in words, not colour alone").until(page -> page.findElement(
                By.cssSelector("#instances tr[data-plugin='spare'] td.health")).getText().contains("unhealthy"));
        assertEquals("healthy", wait.until(page -> health(page, "clock")));
        wait.withMessage("the stopped plugin's health change listed in the recent events").until(page ->
                page.findElements(By.cssSelector("#events tr[data-kind='health']")).stream()
                        .anyMatch(row -> row.getText().matches(".*spare.*→ UNHEALTHY.*")));

        String screenshot = System.getProperty("dashboard.screenshot");
        if (screenshot != null && !screenshot.isBlank()) {
            Path png = Path.of(screenshot).toAbsolutePath();
            Files.createDirectories(png.getParent());
            Files.write(png, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
        }
    }

    /** The health the page shows for the plugin's one instance, or "" while it shows none. */
    private static String health(WebDriver page, String plugin) {
        List<WebElement> cells = page.findElements(By.cssSelector("#instances tr[data-plugin='" + plugin
                + "'] td.health"));
        return cells.isEmpty() ? "" : cells.getFirst().getDomAttribute("data-health");
    }

    /** The call count the page shows for the plugin, or -1 while it shows none. */
    private static long calls(WebDriver page, String plugin) {
        List<WebElement> cells = page.findElements(By.cssSelector("#metrics tr[data-plugin='" + plugin
                + "'] td.calls"));
        return cells.isEmpty() ? -1 : Long.parseLong(cells.getFirst().getText().strip());
    }

    private int send(String method, String url, String json) throws Exception {
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        return reply.statusCode();
    }

    /** The machine's headless Chromium through its own chromedriver, so Selenium Manager never downloads one. */
    private static WebDriver chromium() {
        File binary = new File(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        File driver = new File(System.getProperty("chromedriver.path", "/usr/bin/chromedriver"));
        if (!binary.canExecute() || !driver.canExecute()) {
            fail("The dashboard test drives a real headless Chromium and found no " + (binary.canExecute() ? driver
                    : binary) + ": install it (Debian/Ubuntu: apt-get install -y chromium chromium-driver; .ci/run"
                    + " does) or point -Dchromium.binary= and -Dchromedriver.path= at one");
        }
        // Selenium logs through java.util.logging; its notes on the browser's DevTools version are not the test's.
        Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
        ChromeOptions options = new ChromeOptions().setBinary(binary)
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1280,900", "--no-first-run", "--no-default-browser-check");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver)
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
