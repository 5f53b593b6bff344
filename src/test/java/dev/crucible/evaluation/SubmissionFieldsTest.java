package dev.crucible.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.crucible.support.Api;
import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;

/**
 * Every field of a submission has one JSON type, as the original platform's pydantic models had:
 * a wrong type is a 422 that names the field, and nothing is stored. What pydantic's lax mode
 * takes stays accepted (numeric strings for integers, booleans for the priority). Docker is
 * pointed nowhere: nothing here runs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "crucible.docker.host=unix:///nonexistent/docker.sock")
@ContextConfiguration(initializers = TempStorageInitializer.class)
class SubmissionFieldsTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Api api;

    @BeforeEach
    void connect() {
        api = new Api("http://localhost:" + port);
    }

    long stored() {
        return jdbc.sql("SELECT COUNT(*) FROM evaluation").query(Long.class).single();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "code          | 5",
            "code          | true",
            "code          | [\"print(1)\"]",
            "code          | {\"text\": \"print(1)\"}",
            "language      | 3",
            "language      | [\"python\"]",
            "stdin         | 42",
            "stdin         | {}",
            "memory_limit  | 128",
            "memory_limit  | [\"128Mi\"]",
            "cpu_limit     | 1",
            "cpu_limit     | false",
            "timeout       | 1.5",
            "timeout       | true",
            "timeout       | [30]",
            "timeout       | {\"s\": 30}",
            "timeout       | \"1.5\"",
            "priority      | 1.5",
            "priority      | [1]",
            "priority      | {}",
            "priority      | \"urgent\"",
    })
    void aValueOfTheWrongTypeIsRefusedNamingItsField(String field, String json) {
        long before = stored();
        String body = field.equals("code") ? "{\"code\": " + json + "}"
                : "{\"code\": \"print(1)\", \"" + field + "\": " + json + "}";
        Api.Response r = api.post("/api/eval", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(locations(r)).as(r.toString()).contains(field);
        assertThat(stored()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "timeout   | \"5\"",
            "timeout   | 5",
            "priority  | true",
            "priority  | false",
            "priority  | \"7\"",
            "priority  | 2000",
            "priority  | -10000",
            "priority  | 10000",
    })
    void whatTheOriginalsLaxModeTookIsStillTaken(String field, String json) {
        Api.Response r = api.post("/api/eval", "{\"code\": \"print(1)\", \"" + field + "\": " + json + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
    }

    @ParameterizedTest
    @CsvSource({"10001", "-10001", "2147483647", "-2147483648", "99999999999"})
    void aPriorityOutsideItsRangeCannotJumpTheQueue(String priority) {
        Api.Response r = api.post("/api/eval", "{\"code\": \"print(1)\", \"priority\": " + priority + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(locations(r)).contains("priority");
        assertThat(r.json().get("detail").get(0).get("msg").asString()).contains("-10000").contains("10000");
    }

    @Test
    void aQuantityLongerThan32CharactersIsRefusedBeforeItIsParsed() {
        long before = stored();
        String digits = "1".repeat(900_000);
        for (String field : List.of("memory_limit", "cpu_limit")) {
            Instant start = Instant.now();
            Api.Response r = api.post("/api/eval", "{\"code\": \"print(1)\", \"" + field + "\": \"" + digits + "\"}");
            assertThat(r.status()).as(field).isEqualTo(422);
            assertThat(locations(r)).contains(field);
            assertThat(r.json().get("detail").get(0).get("msg").asString()).contains("32 characters");
            // a generous bound: quadratic parsing of 900 000 digits takes many seconds
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
        }
        Api.Response shortButHuge = api.post("/api/eval", "{\"code\": \"print(1)\", \"memory_limit\": \"" + "9".repeat(33) + "\"}");
        assertThat(shortButHuge.status()).isEqualTo(422);
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void argumentsAreAListOfAtMost64StringsOfAtMost4KiBWithoutNul() {
        long before = stored();
        String tooMany = "[" + String.join(",", java.util.Collections.nCopies(65, "\"a\"")) + "]";
        for (String args : List.of(tooMany, "[\"" + "x".repeat(4097) + "\"]", "[\"a\\u0000b\"]", "[5]", "\"a b\"",
                "[[\"a\"]]", "{\"a\": 1}")) {
            Api.Response r = api.post("/api/eval", "{\"code\": \"print(1)\", \"args\": " + args + "}");
            assertThat(r.status()).as(args + " -> " + r).isEqualTo(422);
            assertThat(r.toString()).as(args).contains("args");
        }
        assertThat(stored()).isEqualTo(before);
        Api.Response fine = api.post("/api/eval", "{\"code\": \"print(1)\", \"args\": [\"" + "x".repeat(4096) + "\", \"\"]}");
        assertThat(fine.status()).as(fine.toString()).isEqualTo(202);
    }

    @Test
    void filesHaveRelativeNamesOfTheirOwnAtMost100AndFitTheCodeLimitTogether() {
        long before = stored();
        String hundredOne = "[" + String.join(",", java.util.stream.IntStream.range(0, 101)
                .mapToObj(i -> file("f" + i + ".py")).toList()) + "]";
        for (String files : List.of("[" + file("../x.py") + "]", "[" + file("/etc/x") + "]", "[" + file("a\\u0001b") + "]",
                "[" + file("main.py") + "]", "[" + file("stdin") + "]", "[" + file("a\\\\b") + "]", "[" + file("a//b") + "]",
                "[" + file("x.py") + "," + file("x.py") + "]", "[" + file("a") + "," + file("a/b") + "]", hundredOne,
                "[{\"name\": \"x.py\"}]", "[{\"name\": 5, \"content\": \"\"}]", "[\"x.py\"]", "\"x.py\"")) {
            Api.Response r = api.post("/api/eval", "{\"code\": \"print(1)\", \"files\": " + files + "}");
            assertThat(r.status()).as(files + " -> " + r).isEqualTo(422);
            assertThat(r.toString()).as(files).contains("files");
        }
        String half = "x".repeat(600_000);
        Api.Response tooBig = api.post("/api/eval", "{\"code\": \"print(1)\", \"files\": [{\"name\": \"a\", \"content\": \""
                + half + "\"}, {\"name\": \"b\", \"content\": \"" + half + "\"}]}");
        assertThat(tooBig.status()).as(tooBig.toString()).isEqualTo(413);
        assertThat(stored()).isEqualTo(before);
    }

    static String file(String jsonName) {
        return "{\"name\": \"" + jsonName + "\", \"content\": \"\"}";
    }

    @Test
    void theJsonBatchHoldsItsEntriesToTheSameTypes() {
        long before = stored();
        Api.Response r = api.post("/api/eval-batch", "{\"evaluations\": [{\"code\": 5}]}");
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.toString()).contains("code");
        Api.Response priority = api.post("/api/eval-batch",
                "{\"evaluations\": [{\"code\": \"print(1)\", \"priority\": 2147483647}]}");
        assertThat(priority.toString()).contains("priority");
        assertThat(priority.json().get("queued") == null || priority.json().get("queued").asInt() == 0).as(priority.toString()).isTrue();
        Api.Response quantity = api.post("/api/eval-batch",
                "{\"evaluations\": [{\"code\": \"print(1)\", \"memory_limit\": \"" + "1".repeat(100_000) + "\"}]}");
        assertThat(quantity.toString()).contains("32 characters");
        // an empty batch is a validation error like any other, in the shape the document gives it
        Api.Response empty = api.post("/api/eval-batch", "{\"evaluations\": []}");
        assertThat(empty.status()).as(empty.toString()).isEqualTo(422);
        assertThat(locations(empty)).containsExactly("body", "evaluations");
        assertThat(empty.json().get("detail").get(0).get("msg").asString()).isEqualTo("the batch holds no evaluations");
        assertThat(stored()).isEqualTo(before);
    }

    static List<String> locations(Api.Response r) {
        List<String> loc = new ArrayList<>();
        JsonNode detail = r.json() == null ? null : r.json().get("detail");
        if (detail != null && detail.isArray()) {
            detail.forEach(problem -> problem.get("loc").forEach(n -> loc.add(n.asString())));
        }
        return loc;
    }
}
