package dev.crucible.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.crucible.support.Api;
import dev.crucible.support.RealPlatformTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Files back from the program (issue 10, item 7), on real containers: what a program writes under
 * /out ($CRUCIBLE_OUTPUT_DIR) is listed and downloaded through the API, and what a hostile
 * program leaves there (a link to /etc/passwd, 10 000 files, more bytes than the cap, a name with
 * a control character, a pipe) is refused or cut with a note, never read outside /out.
 */
class ArtifactsTest extends RealPlatformTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    EvaluationRepository repository;

    @Autowired
    JdbcClient jdbc;

    JsonNode run(Map<String, Object> submission) {
        return api.evaluate(submission);
    }

    HttpResponse<byte[]> download(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void filesWrittenUnderOutAreListedAndDownloadedAsAttachments() throws Exception {
        JsonNode result = run(Map.of("code", """
                import os
                out = os.environ["CRUCIBLE_OUTPUT_DIR"]
                os.makedirs(out + "/tables")
                with open(out + "/report.html", "w") as f:
                    f.write("<script>alert(1)</script>")
                with open(out + "/tables/squares.csv", "w") as f:
                    f.write("n,square\\n" + "".join(f"{n},{n*n}\\n" for n in range(5)))
                print(out)
                """));
        assertThat(result.get("status").asString()).as(result.toString()).isEqualTo("completed");
        assertThat(result.get("stdout").asString()).isEqualTo("/out\n");
        String id = result.get("eval_id").asString();

        JsonNode listing = api.get("/api/eval/" + id + "/artifacts").json();
        byte[] csv = "n,square\n0,0\n1,1\n2,4\n3,9\n4,16\n".getBytes(StandardCharsets.UTF_8);
        assertThat(listing.get("artifacts")).isEqualTo(JSON.readTree(JSON.writeValueAsString(List.of(
                Map.of("name", "report.html", "size", 25, "sha256", sha256("<script>alert(1)</script>".getBytes())),
                Map.of("name", "tables/squares.csv", "size", csv.length, "sha256", sha256(csv))))));
        assertThat(listing.get("notes").size()).isZero();

        HttpResponse<byte[]> file = download("/api/eval/" + id + "/artifacts/tables/squares.csv");
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(csv);
        assertThat(file.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment")
                .contains("squares.csv");
        HttpResponse<byte[]> html = download("/api/eval/" + id + "/artifacts/report.html");
        // never rendered: an attachment of no type a browser would run
        assertThat(html.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/octet-stream");
        assertThat(html.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment");
        assertThat(html.headers().firstValue("X-Content-Type-Options").orElseThrow()).isEqualTo("nosniff");

        assertThat(download("/api/eval/" + id + "/artifacts/missing.txt").statusCode()).isEqualTo(404);
        assertThat(download("/api/eval/" + id + "/artifacts/../../etc/passwd").statusCode()).isIn(400, 404);
        assertThat(download("/api/eval/nope/artifacts").statusCode()).isEqualTo(404);
    }

    @Test
    void hostileFilesAreRefusedOrCutWithANoteAndNothingOutsideOutIsRead() {
        JsonNode result = run(Map.of("code", """
                import os
                os.symlink("/etc/passwd", "/out/passwd")
                os.symlink("/etc", "/out/etc")
                os.mkfifo("/out/pipe")
                with open("/out/bad\\x01name", "w") as f:
                    f.write("x")
                with open("/out/big.bin", "wb") as f:
                    try:
                        f.write(b"x" * (20 * 1024 * 1024))
                    except OSError as e:
                        print("writing 20 MiB:", e.strerror)
                os.remove("/out/big.bin")
                os.makedirs("/out/many")
                for i in range(10000):
                    open(f"/out/many/{i:05}", "w").close()
                print("done")
                """, "timeout", 60));
        assertThat(result.get("status").asString()).as(result.toString()).isEqualTo("completed");
        assertThat(result.get("stdout").asString()).isEqualTo("writing 20 MiB: No space left on device\ndone\n");
        String id = result.get("eval_id").asString();

        JsonNode listing = api.get("/api/eval/" + id + "/artifacts").json();
        List<String> names = new ArrayList<>();
        listing.get("artifacts").forEach(a -> names.add(a.get("name").asString()));
        assertThat(names).hasSize(100).allMatch(n -> n.startsWith("many/"));
        String notes = listing.get("notes").toString();
        assertThat(notes).contains("passwd was not collected: it is a symbolic link")
                .contains("etc was not collected: it is a symbolic link")
                .contains("pipe was not collected: it is not a regular file")
                .contains("its name has control characters")
                .contains("were not collected: at most 100 files are");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM evaluation_artifact WHERE content LIKE '%root:%'").query(Long.class).single())
                .isZero();
    }

    @Test
    void aFileBiggerThanWhatIsLeftOfTheCapIsLeftOutWithANote() {
        // /out is a tmpfs of the cap's size: two files of 5 MiB cannot both be there; one of 5 and one of 2.5 can,
        // and with the launcher's cap at 8 MiB in all, a third of 1 MiB passes it
        JsonNode result = run(Map.of("code", """
                for name, size in (("a.bin", 5 << 20), ("b.bin", 5 << 19), ("c.bin", 1 << 20)):
                    try:
                        with open("/out/" + name, "wb") as f:
                            f.write(b"x" * size)
                    except OSError as e:
                        print(name, e.strerror)
                """));
        assertThat(result.get("status").asString()).as(result.toString()).isEqualTo("completed");
        JsonNode listing = api.get("/api/eval/" + result.get("eval_id").asString() + "/artifacts").json();
        long total = 0;
        for (JsonNode a : listing.get("artifacts")) {
            total += a.get("size").asLong();
        }
        assertThat(total).isLessThanOrEqualTo(8L << 20);
        assertThat(listing.get("artifacts").size() + listing.get("notes").size()
                + (result.get("stdout").asString().isEmpty() ? 0 : 1)).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aMatplotlibPlotComesBackAsAPngShownInline() throws Exception {
        JsonNode result = run(Map.of("language", "python-science", "timeout", 60, "memory_limit", "512Mi", "code", """
                import os
                import numpy as np, pandas as pd, scipy, sklearn
                import matplotlib.pyplot as plt
                frame = pd.DataFrame({"x": np.arange(10), "y": np.arange(10) ** 2})
                frame.plot(x="x", y="y")
                plt.savefig(os.path.join(os.environ["CRUCIBLE_OUTPUT_DIR"], "plot.png"))
                print(scipy.__version__ > "1", sklearn.__name__)
                """));
        assertThat(result.get("status").asString()).as(result.toString()).isEqualTo("completed");
        assertThat(result.get("stdout").asString()).isEqualTo("True sklearn\n");
        String id = result.get("eval_id").asString();
        HttpResponse<byte[]> png = download("/api/eval/" + id + "/artifacts/plot.png");
        assertThat(png.statusCode()).isEqualTo(200);
        // an image by its bytes, so a page can show it; still an attachment when opened
        assertThat(png.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("image/png");
        assertThat(png.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment");
        assertThat(new String(png.body(), 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    @Test
    void retentionRemovesTheFilesWithTheirEvaluation() {
        JsonNode result = run(Map.of("code", "open('/out/kept.txt', 'w').write('kept')"));
        String id = result.get("eval_id").asString();
        assertThat(api.get("/api/eval/" + id + "/artifacts").json().get("artifacts").size()).isEqualTo(1);
        jdbc.sql("UPDATE evaluation SET created_at = :old WHERE id = :id")
                .param("old", java.time.OffsetDateTime.parse("2001-01-01T00:00:00Z")).param("id", id).update();
        assertThat(repository.deleteEndedBefore(Instant.parse("2002-01-01T00:00:00Z"), 10)).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM evaluation_artifact WHERE evaluation_id = :id").param("id", id)
                .query(Long.class).single()).isZero();
    }
}
