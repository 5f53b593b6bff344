package dev.crucible.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import dev.crucible.support.Browser;
import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * The admin UI in a real headless Chromium against the real app and real containers: log in,
 * submit code and watch its result arrive without a reload, see that output is never run as
 * markup, filter the history, export CSV, make and revoke an API key. Screenshots land in
 * target/screenshots.
 */
@Tag("docker")
@Tag("browser")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"crucible.admin.password=browser-test-password", "crucible.worker.concurrency=2"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserTest {

    static ChromeDriver browser;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }

    WebDriverWait waiting(int seconds) {
        // a page that is replaced while the condition reads it leaves stale elements: read again
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    @Test
    @Order(1)
    void pagesAskForALoginAndAWrongPasswordIsRefused() {
        browser.get(url("/"));
        assertThat(browser.getCurrentUrl()).endsWith("/login");
        Browser.screenshot(browser, "01-login");
        browser.findElement(By.id("password")).sendKeys("wrong");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waiting(10).until(d -> d.getCurrentUrl().contains("error"));
        assertThat(browser.findElement(By.cssSelector(".notice.error")).getText()).contains("do not match");
    }

    @Test
    @Order(2)
    void theAdminLogsIn() {
        browser.get(url("/login"));
        WebElement user = browser.findElement(By.id("username"));
        user.clear();
        user.sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys("browser-test-password");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waiting(10).until(d -> d.findElements(By.cssSelector("h1")).stream().anyMatch(h -> h.getText().equals("Dashboard")));
        assertThat(browser.findElement(By.cssSelector(".nav")).getText()).contains("Submit", "API keys");
    }

    @Test
    @Order(3)
    void codeSubmittedFromTheFormShowsItsResultWithoutAReload() {
        browser.get(url("/evaluations/new"));
        WebElement code = browser.findElement(By.id("code"));
        code.clear();
        // Tab in the editor indents instead of leaving the field
        code.sendKeys("import sys", Keys.ENTER, "for i in range(3):", Keys.ENTER, Keys.TAB, "print('line', i)",
                Keys.ENTER, "print(sys.stdin.read().upper(), file=sys.stderr)");
        assertThat(code.getDomProperty("value")).contains("\n    print('line', i)");
        browser.findElement(By.id("stdin")).sendKeys("from the browser");
        Browser.screenshot(browser, "02-submit");
        browser.findElement(By.id("run")).click();

        waiting(10).until(d -> d.getCurrentUrl().contains("/evaluations/2"));
        Object marker = browser.executeScript("window.crucibleMarker = 42; return window.crucibleMarker;");
        assertThat(marker).isEqualTo(42L);
        waiting(60).until(d -> "completed".equals(d.findElement(By.id("panel")).getDomAttribute("data-status")));
        // the same page, updated in place: no reload happened
        assertThat(browser.executeScript("return window.crucibleMarker;")).isEqualTo(42L);
        assertThat(browser.findElement(By.id("output")).getText()).isEqualTo("line 0\nline 1\nline 2\nFROM THE BROWSER");
        assertThat(browser.findElement(By.id("panel")).getText()).contains("Exit code").contains("0");
        List<WebElement> lines = browser.findElements(By.cssSelector(".code .line"));
        assertThat(lines).hasSize(4);
        Browser.fullPage(browser, "03-evaluation", 1366);
    }

    @Test
    @Order(3)
    void outputAppearsLineByLineWhileTheProgramRuns() {
        browser.get(url("/evaluations/new"));
        WebElement code = browser.findElement(By.id("code"));
        code.clear();
        code.sendKeys("import time", Keys.ENTER, "for i in range(8):", Keys.ENTER, Keys.TAB, "print('line', i, flush=True)",
                Keys.ENTER, Keys.TAB, "time.sleep(0.4)");
        browser.findElement(By.id("run")).click();
        waiting(10).until(d -> d.getCurrentUrl().contains("/evaluations/2"));
        // the page follows the event stream: lines appear while the panel still says running
        waiting(30).until(d -> d.findElement(By.id("output")).getText().contains("line 1"));
        assertThat(browser.findElement(By.id("panel")).getDomAttribute("data-status")).isEqualTo("running");
        assertThat(browser.findElement(By.id("output")).getText()).doesNotContain("line 7");
        Browser.screenshot(browser, "03-live-output");
        waiting(60).until(d -> "completed".equals(d.findElement(By.id("panel")).getDomAttribute("data-status")));
        assertThat(browser.findElement(By.id("output")).getText())
                .isEqualTo("line 0\nline 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7");
    }

    @Test
    @Order(4)
    void outputIsNeverRunAsMarkup() {
        browser.get(url("/evaluations/new"));
        WebElement code = browser.findElement(By.id("code"));
        code.clear();
        code.sendKeys("print('<script>window.xss = 1</script><img src=x onerror=\"window.xss = 2\"><b>bold</b>')");
        browser.findElement(By.id("run")).click();
        waiting(60).until(d -> d.getCurrentUrl().contains("/evaluations/2")
                && "completed".equals(d.findElement(By.id("panel")).getDomAttribute("data-status")));
        browser.navigate().refresh();
        assertThat(browser.executeScript("return typeof window.xss;")).isEqualTo("undefined");
        assertThat(browser.findElement(By.id("output")).getText()).contains("<script>window.xss = 1</script>");
        assertThat(browser.findElements(By.cssSelector("#output b"))).isEmpty();
    }

    @Test
    @Order(5)
    void theHistoryFiltersSortsAndExportsCsv() throws Exception {
        // one failure and one timeout to filter for
        for (String program : List.of("raise SystemExit(3)", "while True: pass")) {
            browser.get(url("/evaluations/new"));
            WebElement code = browser.findElement(By.id("code"));
            code.clear();
            code.sendKeys(program);
            WebElement timeout = browser.findElement(By.id("timeout"));
            timeout.clear();
            timeout.sendKeys("2");
            browser.findElement(By.id("run")).click();
            waiting(60).until(d -> d.getCurrentUrl().contains("/evaluations/2")
                    && List.of("failed", "timeout").contains(d.findElement(By.id("panel")).getDomAttribute("data-status")));
        }
        browser.get(url("/"));
        waiting(20).until(d -> !d.findElements(By.cssSelector("#chart-throughput canvas")).isEmpty()
                && !d.findElements(By.cssSelector("#chart-runtime canvas")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("#history tbody tr"))).hasSizeGreaterThanOrEqualTo(4);
        Browser.fullPage(browser, "04-dashboard", 1366);

        new Select(browser.findElement(By.name("status"))).selectByValue("failed");
        waiting(10).until(d -> d.getCurrentUrl().contains("status=failed"));
        waiting(10).until(d -> d.findElements(By.cssSelector("#history tbody tr .badge")).stream()
                .allMatch(b -> b.getText().equals("failed")));
        List<WebElement> rows = browser.findElements(By.cssSelector("#history tbody tr"));
        assertThat(rows).hasSize(1);
        Browser.screenshot(browser, "05-dashboard-filtered");

        // sort by runtime, then export what the filter shows
        new Select(browser.findElement(By.name("status"))).selectByValue("");
        waiting(10).until(d -> !d.getCurrentUrl().contains("status=failed"));
        browser.findElement(By.linkText("RUNTIME")).click();
        waiting(10).until(d -> d.getCurrentUrl().contains("sort=runtime"));

        new Select(browser.findElement(By.name("status"))).selectByValue("timeout");
        waiting(10).until(d -> d.getCurrentUrl().contains("status=timeout"));
        String csvLink = waiting(10).until(d -> {
            String href = d.findElement(By.linkText("Export CSV")).getDomAttribute("href");
            return href.contains("status=timeout") ? href : null;
        });
        Cookie session = browser.manage().getCookieNamed("JSESSIONID");
        HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url(csvLink)))
                .header("Cookie", "JSESSIONID=" + session.getValue()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("crucible-evaluations-");
        List<String> csvLines = csv.body().lines().toList();
        assertThat(csvLines.get(0)).isEqualTo("\"eval_id\",\"status\",\"language\",\"exit_code\",\"failure_reason\","
                + "\"runtime_ms\",\"cpu_time_ms\",\"peak_memory_kb\",\"created_at\",\"started_at\",\"completed_at\",\"batch_id\",\"image\",\"output\",\"error\"");
        assertThat(csvLines).hasSize(2);
        assertThat(csvLines.get(1)).contains(",\"timeout\",\"python\",");
    }

    @Test
    @Order(6)
    void anApiKeyIsMadeShownOnceUsedAndRevoked() throws Exception {
        browser.get(url("/keys"));
        browser.findElement(By.id("name")).sendKeys("browser-test");
        browser.findElement(By.cssSelector("form.inline-form button")).click();
        String secret = waiting(10).until(d -> d.findElement(By.id("new-key"))).getText();
        assertThat(secret).startsWith("crk_");
        Browser.screenshot(browser, "06-keys");

        HttpClient http = HttpClient.newHttpClient();
        HttpRequest withKey = HttpRequest.newBuilder(URI.create(url("/api/queue/status"))).header("X-API-Key", secret).build();
        assertThat(http.send(withKey, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        browser.navigate().refresh();
        assertThat(browser.findElements(By.id("new-key"))).isEmpty();
        browser.findElement(By.cssSelector("button.danger")).click();
        waiting(10).until(d -> d.getPageSource().contains("revoked"));
        assertThat(http.send(withKey, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(7)
    void aBatchIsUploadedFromTheBrowserAndItsProgressBarFillsUp() throws Exception {
        java.util.Map<String, String> files = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            files.put("task" + i + ".py", i == 5 ? "raise SystemExit(1)" : "print(" + i + ")");
        }
        files.put("README.md", "# twelve tasks");
        files.put("manifest.csv", "file,language,stdin,timeout,expected_output\ntask3.py,,,,3\ntask4.py,,,,40\n");
        java.nio.file.Path zip = java.nio.file.Files.createTempFile("browser-batch", ".zip");
        java.nio.file.Files.write(zip, dev.crucible.support.Archives.zip(files));

        browser.get(url("/batches/new"));
        browser.findElement(By.id("name")).sendKeys("browser batch");
        browser.findElement(By.id("files")).sendKeys(zip.toAbsolutePath().toString());
        assertThat(browser.findElement(By.id("chosen")).getText()).endsWith(".zip");
        Browser.screenshot(browser, "08-batch-upload");
        browser.findElement(By.id("upload")).click();
        waiting(30).until(d -> d.getCurrentUrl().contains("/batches/batch_"));
        waiting(120).until(d -> "completed".equals(d.findElement(By.id("progress")).getDomAttribute("data-status")));
        WebElement bar = browser.findElement(By.id("batch-bar"));
        assertThat(bar.getDomProperty("value")).isEqualTo(bar.getDomProperty("max"));
        String table = browser.findElement(By.id("results")).getText();
        assertThat(table).contains("task3.py").contains("passed").contains("wrong_answer").contains("README.md").contains("skipped");
        Browser.fullPage(browser, "09-batch", 1366);
    }

    @Test
    @Order(8)
    void theWorkersPageShowsThisWorkerLiveAndDrainsIt() {
        browser.get(url("/workers"));
        WebElement table = browser.findElement(By.id("workers"));
        assertThat(table.getText()).contains("running").contains("Docker");
        // the last hour, drawn on the server as SVG: the runs of the tests before are bars
        WebElement throughput = browser.findElement(By.cssSelector("#throughput-chart svg"));
        assertThat(throughput.getAttribute("aria-label")).matches("[1-9][0-9]* ended in the last hour, peak [1-9][0-9]*/min");
        assertThat(throughput.getSize().getHeight()).isGreaterThan(50);
        Object barsWidth = browser.executeScript("return arguments[0].querySelector('path').getBBox().width;", throughput);
        assertThat(((Number) barsWidth).doubleValue()).isGreaterThan(0);
        assertThat(browser.findElement(By.cssSelector("#queue-depth-chart svg")).getAttribute("aria-label"))
                .startsWith("queue depth now ");
        browser.findElement(By.cssSelector("#workers button[type=submit]")).click();
        waiting(10).until(d -> d.findElement(By.id("workers")).getText().contains("draining"));
        Browser.screenshot(browser, "10-workers");
        browser.findElement(By.cssSelector("#workers button[type=submit]")).click();
        waiting(10).until(d -> !d.findElement(By.id("workers")).getText().contains("draining"));
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    @Order(8)
    void aFailedCallbackIsFoundFromTheHeaderAndRetried() {
        // a receiver that stayed away past max-age (the state is set on the row; WebhooksTest makes it for real)
        String id = jdbc.sql("SELECT id FROM evaluation WHERE status = 'completed' ORDER BY seq FETCH FIRST 1 ROWS ONLY")
                .query(String.class).single();
        jdbc.sql("""
                UPDATE evaluation SET callback_url = 'https://receiver.invalid/hook', callback_status = 'failed',
                       callback_attempts = 12, callback_last_error = 'HTTP 503 (gave up after 12 tries)' WHERE id = :id
                """).param("id", id).update();
        browser.get(url("/"));
        WebElement counter = waiting(10).until(d -> d.findElement(By.cssSelector(".counter.alert")));
        assertThat(counter.getText()).isEqualTo("1 failed callback");
        counter.click();
        waiting(10).until(d -> d.getCurrentUrl().endsWith("/callbacks"));
        String row = browser.findElement(By.id("callbacks")).getText();
        assertThat(row).contains(id).contains("https://receiver.invalid/hook").contains("HTTP 503 (gave up after 12 tries)");
        Browser.screenshot(browser, "11-callbacks");
        browser.findElement(By.xpath("//button[text()='Retry all 1 failed']")).click();
        waiting(10).until(d -> d.findElement(By.cssSelector(".notice.success")).getText()
                .equals("1 failed callback is due again."));
        assertThat(browser.findElement(By.id("callbacks")).getText()).contains("No callback is failed.");
        assertThat(jdbc.sql("SELECT callback_status FROM evaluation WHERE id = :id").param("id", id).query(String.class)
                .single()).isEqualTo("pending");
        // nobody will answer: put it out of the sender's way
        jdbc.sql("UPDATE evaluation SET callback_url = NULL, callback_status = NULL WHERE id = :id").param("id", id).update();
    }

    @Test
    @Order(9)
    void pagesFitAPhone() {
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            browser.get(url("/"));
            Object overflow = browser.executeScript("return document.documentElement.scrollWidth > window.innerWidth + 1;");
            Browser.fullPage(browser, "07-dashboard-phone", 390);
            assertThat(overflow).isEqualTo(false);
        } finally {
            browser.manage().window().setSize(new Dimension(1366, 900));
        }
    }

    @Test
    @Order(10)
    void aPlotFromPythonScienceShowsOnItsPage() {
        browser.get(url("/evaluations/new"));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("language"))).selectByValue("python-science");
        WebElement code = browser.findElement(By.id("code"));
        code.clear();
        code.sendKeys("import os, matplotlib.pyplot as plt", Keys.ENTER,
                "plt.plot([0, 1, 2, 3], [0, 1, 4, 9], marker='o')", Keys.ENTER,
                "plt.title('squares')", Keys.ENTER,
                "plt.savefig(os.environ['CRUCIBLE_OUTPUT_DIR'] + '/squares.png')");
        // numpy and matplotlib need more than the default 100 MiB
        WebElement memory = browser.findElement(By.id("memory_limit"));
        memory.clear();
        memory.sendKeys("512Mi");
        browser.findElement(By.id("run")).click();
        try {
            waiting(90).until(d -> d.getCurrentUrl().contains("/evaluations/2")
                    && "completed failed timeout".contains(d.findElement(By.id("panel")).getDomAttribute("data-status")));
        } catch (org.openqa.selenium.TimeoutException e) {
            Browser.screenshot(browser, "10-plot-stuck");
            throw new AssertionError("no result at " + browser.getCurrentUrl() + ": "
                    + browser.findElement(By.tagName("main")).getText(), e);
        }
        assertThat(browser.findElement(By.id("panel")).getDomAttribute("data-status"))
                .as(browser.findElement(By.id("panel")).getText()).isEqualTo("completed");
        WebElement image = waiting(10).until(d -> d.findElement(By.cssSelector("#artifacts img.artifact-image")));
        // the browser really decoded a PNG: an image that failed to load has no natural width
        waiting(10).until(d -> ((Number) browser.executeScript("return arguments[0].complete && arguments[0].naturalWidth;",
                image)).intValue() > 100);
        assertThat(browser.findElement(By.id("artifacts")).getText()).contains("squares.png");
        Browser.fullPage(browser, "10-plot", 1366);
    }

    @Test
    @Order(11)
    void aCProgramWithAHeaderAndTestCasesFromTheFormShowsEachVerdictWithADiff() {
        browser.get(url("/evaluations/new"));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("language"))).selectByValue("c");
        browser.executeScript("arguments[0].value = arguments[1];", browser.findElement(By.id("code")),
                "#include <stdio.h>\n#include \"twice.h\"\nint main(void) { int n; scanf(\"%d\", &n); printf(\"%d\\n\", TWICE(n)); }\n");
        browser.findElement(By.id("add-file")).click();
        browser.findElement(By.cssSelector("#files input[name=fileName]")).sendKeys("twice.h");
        browser.findElement(By.cssSelector("#files textarea[name=fileContent]")).sendKeys("#define TWICE(x) (2 * (x))");
        String[][] cases = {{"one", "1", "2"}, {"two", "2", "5"}};
        for (String[] c : cases) {
            browser.findElement(By.id("add-case")).click();
            List<WebElement> rows = browser.findElements(By.cssSelector("#test-cases .case-row"));
            WebElement row = rows.get(rows.size() - 1);
            row.findElement(By.name("caseName")).sendKeys(c[0]);
            row.findElement(By.name("caseStdin")).sendKeys(c[1]);
            row.findElement(By.name("caseExpected")).sendKeys(c[2]);
        }
        Browser.fullPage(browser, "11-test-cases-form", 1366);
        browser.findElement(By.id("run")).click();
        try {
            waiting(90).until(d -> d.getCurrentUrl().contains("/evaluations/2")
                    && "completed failed timeout".contains(d.findElement(By.id("panel")).getDomAttribute("data-status")));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no result at " + browser.getCurrentUrl() + ": "
                    + browser.findElement(By.tagName("main")).getText(), e);
        }
        String table = browser.findElement(By.id("test-results")).getText();
        assertThat(table).contains("one").contains("passed").contains("two").contains("wrong_answer");
        assertThat(browser.findElement(By.id("verdict")).getText()).isEqualTo("wrong_answer");
        // the failed case's details are open, with expected and actual lines marked
        assertThat(browser.findElements(By.cssSelector("#test-results .diff .diff-missing")).get(0).getText()).isEqualTo("- 5");
        assertThat(browser.findElements(By.cssSelector("#test-results .diff .diff-extra")).get(0).getText()).isEqualTo("+ 4");
        assertThat(browser.findElement(By.id("compile-output")).isDisplayed()).isTrue();
        Browser.fullPage(browser, "11-test-cases", 1366);
    }

    @Test
    @Order(12)
    void theAdminLogsOut() {
        browser.get(url("/"));
        browser.findElement(By.cssSelector("form.logout button")).click();
        waiting(10).until(d -> d.getCurrentUrl().contains("/login"));
        browser.get(url("/"));
        assertThat(browser.getCurrentUrl()).endsWith("/login");
    }

    @Test
    @Order(11)
    void theAdminBrowsesTheApisOpenApiDocument() {
        browser.get(url("/swagger-ui.html"));
        // the UI (swagger-ui, served by springdoc) draws every operation from /v3/api-docs, within the CSP
        waiting(30).until(d -> d.findElements(By.cssSelector(".opblock-summary-path")).size() > 20);
        assertThat(browser.findElement(By.cssSelector(".title")).getText()).contains("Crucible");
        assertThat(browser.findElements(By.cssSelector(".opblock-summary-path")).stream().map(WebElement::getText))
                .contains("/api/eval", "/api/eval/{evalId}/events");
        Browser.screenshot(browser, "30-openapi");
    }
}
