package dev.hotline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven by Selenium for browser tests. Always uses the system's
 * {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}, so Selenium never downloads a
 * browser or a driver; the browser gets a fresh profile and may only resolve localhost.
 *
 * <pre>
 * try (Chromium chrome = Chromium.start()) {
 *     chrome.driver().get(server.baseUrl());
 *     chrome.screenshot("console");   // target/screenshots/console.png
 * }
 * </pre>
 */
public final class Chromium implements AutoCloseable {
    public static final Path BROWSER = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /** The flags of DESIGN.md for every test browser. */
    static final List<String> BASE_ARGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1400,900",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1");

    /** Extra flags for WebRTC tests: fake microphone without a prompt, loopback ICE candidates. */
    static final List<String> WEBRTC_ARGS = List.of(
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            "--allow-loopback-in-peer-connection",
            "--autoplay-policy=no-user-gesture-required");

    /** Features WebRTC tests disable: raw host candidates instead of mDNS ".local" names. */
    static final List<String> WEBRTC_DISABLED_FEATURES = List.of("WebRtcHideLocalIpsWithMdns");

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;

    private Chromium(ChromeDriverService service, ChromeDriver driver, Path profile) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
    }

    /** A browser for page tests. */
    public static Chromium start() {
        return start(List.of(), List.of());
    }

    /** A browser for WebRTC tests (fake media devices, loopback candidates, no mDNS). */
    public static Chromium startWebRtc() {
        return start(WEBRTC_ARGS, WEBRTC_DISABLED_FEATURES);
    }

    /**
     * A WebRTC browser where the name {@code host} resolves to 127.0.0.1: a page opened over plain HTTP at that name is
     * an insecure origin (only localhost and loopback addresses are trustworthy), while the server still binds loopback
     * only. Every other name still resolves to nothing; the later --host-resolver-rules replaces the base one.
     */
    public static Chromium startWebRtcNaming(String host) {
        List<String> args = new ArrayList<>(WEBRTC_ARGS);
        args.add("--host-resolver-rules=MAP " + host + " 127.0.0.1 , MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1");
        return start(args, WEBRTC_DISABLED_FEATURES);
    }

    /**
     * A browser with extra flags and features to disable. Chromium honours only the last
     * {@code --disable-features}, so all of them go into one flag here; do not pass that flag in
     * {@code extraArgs}.
     */
    public static Chromium start(List<String> extraArgs, List<String> disabledFeatures) {
        requireInstalled();
        for (String a : extraArgs) {
            if (a.startsWith("--disable-features")) {
                throw new IllegalArgumentException("pass features to disable in disabledFeatures, not as " + a);
            }
        }
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        Path profile;
        try {
            profile = Files.createTempDirectory("hotline-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        List<String> args = new ArrayList<>(BASE_ARGS);
        args.add("--user-data-dir=" + profile);
        args.addAll(extraArgs);
        if (!disabledFeatures.isEmpty()) args.add("--disable-features=" + String.join(",", disabledFeatures));
        options.addArguments(args);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(15));
            return new Chromium(service, driver, profile);
        } catch (RuntimeException e) {
            service.stop();
            deleteTree(profile);
            throw e;
        }
    }

    /** Fails (never skips) when the Debian packages are missing. */
    static void requireInstalled() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(BROWSER)) missing.add(BROWSER.toString());
        if (!Files.isExecutable(DRIVER)) missing.add(DRIVER.toString());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("browser tests need " + String.join(" and ", missing)
                    + ": install them with `apt-get install chromium chromium-driver`"
                    + " (and fonts-wqy-zenhei for Chinese text in screenshots)");
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** A wait with the given deadline, polling every 50 ms. */
    public WebDriverWait waitAtMost(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(50));
        return wait;
    }

    /** Saves a PNG of the viewport as {@code target/screenshots/NAME.png} and returns its path. */
    /** The element(s) a page marks with {@code data-testid}. */
    public static By tid(String testId) {
        return By.cssSelector("[data-testid='" + testId + "']");
    }

    /** The attribute {@code name} of the element marked {@code testId}, or "" while there is none. */
    public String attr(String testId, String name) {
        var els = driver.findElements(tid(testId));
        return els.isEmpty() ? "" : String.valueOf(els.get(0).getAttribute(name));
    }

    /** Opens the login page in English (local storage cleared) and signs in; the caller waits for the page it lands on. */
    public void signInEnglish(String baseUrl, String enterprise, String user, String password) {
        driver.get(baseUrl + "/login.html");
        driver.executeScript("localStorage.clear(); localStorage.setItem('hotline.lang', 'en')");
        driver.get(baseUrl + "/login.html");
        waitAtMost(Duration.ofSeconds(15)).until(ExpectedConditions.presenceOfElementLocated(tid("login-enterprise")));
        driver.findElement(tid("login-enterprise")).sendKeys(enterprise);
        driver.findElement(tid("login-username")).sendKeys(user);
        driver.findElement(tid("login-password")).sendKeys(password);
        driver.findElement(tid("login-submit")).click();
    }

    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Browser console entries since the last call, as "LEVEL message". */
    public List<String> consoleLog() {
        List<String> out = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) out.add(e.getLevel() + " " + e.getMessage());
        return out;
    }

    /**
     * Script errors since the last call: SEVERE console entries except failed resource loads
     * (an expected 401 or 4xx answer of the API is logged by the browser as one) and refused or
     * broken WebSocket connections (the agent desk's CTI client reconnects by itself and shows it).
     */
    public List<String> scriptErrors() {
        List<String> out = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue() && !e.getMessage().contains("Failed to load resource")
                    && !e.getMessage().contains("WebSocket connection to")) {
                out.add(e.getMessage());
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
