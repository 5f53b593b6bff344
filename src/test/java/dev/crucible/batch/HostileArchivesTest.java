package dev.crucible.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.crucible.storage.StorageDirectory;
import dev.crucible.support.Archives;
import dev.crucible.support.OversizedArchives;
import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every hostile or useless upload is refused with a 4xx that says why, and leaves nothing behind:
 * no batch, no evaluation, no file in the storage folder. Docker is pointed nowhere: nothing runs.
 */
@SpringBootTest(properties = {"crucible.docker.host=unix:///nonexistent/docker.sock", "crucible.batch.max-files=20",
        "crucible.batch.max-bytes=3MB", "crucible.batch.max-ratio=20"})
@AutoConfigureMockMvc
@ContextConfiguration(initializers = TempStorageInitializer.class)
class HostileArchivesTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Value("${" + StorageDirectory.PROPERTY + "}")
    Path storage;

    void refused(byte[] upload, String fileName, int status, String message) throws Exception {
        long batches = count("batch");
        long evaluations = count("evaluation");
        long items = count("batch_item");
        var response = mvc.perform(multipart("/api/batches").file(new MockMultipartFile("file", fileName,
                        "application/octet-stream", upload)))
                .andExpect(status().is(status)).andReturn().getResponse();
        String detail = JsonMapper.builder().build().readTree(response.getContentAsString()).get("detail").asString();
        assertThat(detail).as(fileName).contains(message);
        assertThat(count("batch")).isEqualTo(batches);
        assertThat(count("evaluation")).isEqualTo(evaluations);
        assertThat(count("batch_item")).isEqualTo(items);
        assertThat(filesUnder(storage.resolve("batches"))).as("files left in the storage folder").isEmpty();
    }

    long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    static java.util.List<Path> filesUnder(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return java.util.List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void pathsThatClimbOutOrStartAtTheRootAreRefused() throws Exception {
        refused(Archives.zip(Archives.files("ok.py", "print(1)", "../../etc/evil.py", "print(2)")), "slip.zip", 422,
                "unsafe path in the archive: '../../etc/evil.py'");
        refused(Archives.zip(Archives.files("/etc/cron.d/evil.py", "print(2)")), "absolute.zip", 422, "absolute paths are refused");
        refused(Archives.tarGz(Archives.files("a/../../b.py", "print(2)")), "slip.tar.gz", 422, "'..' is refused");
        refused(Archives.zip(Archives.files("C:/windows/evil.py", "x")), "drive.zip", 422, "unsafe path");
    }

    @Test
    void namesWithControlCharactersAreRefusedAndNotEchoedRaw() throws Exception {
        refused(Archives.zip(Archives.files("ok.py", "print(1)", "evil\n2026-01-01 INFO forged.py", "print(2)")), "newline.zip",
                422, "control character");
        refused(Archives.tarGz(Archives.files("clear\u001b[2J.py", "print(2)")), "escape.tar.gz", 422, "'clear\\u001b[2J.py'");
        refused(Archives.zip(Archives.files("a\rb.py", "print(2)")), "cr.zip", 422, "control character");
    }

    @Test
    void linksAreRefused() throws Exception {
        refused(Archives.zipWithSymlink("passwd.py", "/etc/passwd"), "link.zip", 422, "'passwd.py' is a symbolic link");
        refused(Archives.tarGzWithSymlink("passwd.py", "/etc/passwd"), "link.tar.gz", 422, "'passwd.py' is a link");
    }

    @Test
    void namesThatAreNotUtf8AreRefused() throws Exception {
        refused(Archives.zipWithLatin1Name(), "latin1.zip", 422, "not UTF-8");
    }

    @Test
    void tooManyFilesOrBytesAreRefused() throws Exception {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 21; i++) {
            many.put("p" + i + ".py", "print(" + i + ")");
        }
        refused(Archives.zip(many), "many.zip", 413, "more than 20 files");
        refused(Archives.zip(Archives.files("big.py", "#" + "x".repeat(1024 * 1024 + 1))), "big.zip", 413,
                "'big.py' is larger than the program size limit of 1048576 bytes");
        Map<String, String> heavy = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            heavy.put("data" + i + ".txt", randomText(1_000_000, i));
        }
        refused(Archives.zip(heavy), "heavy.zip", 413, "unpacks to more than 3145728 bytes");
    }

    @Test
    void aZipBombIsRefusedWhileItIsRead() throws Exception {
        // files under the file limit, each under the size limits, together far more than the archive's size
        byte[] bomb = Archives.zipBomb(15, 900_000);
        assertThat(bomb.length).isLessThan(100_000);
        refused(bomb, "bomb.zip", 413, "refused as a zip bomb");
    }

    @Test
    void emptyUselessOrNonArchivesAreRefused() throws Exception {
        refused(Archives.zip(Map.of()), "empty.zip", 422, "holds no files");
        refused(Archives.zip(Archives.files("README.md", "# hi", "data.csv", "a,b")), "docs.zip", 422, "holds no programs");
        refused("this is not an archive at all".getBytes(), "fake.zip", 400, "not a .zip or .tar.gz archive");
        byte[] truncated = java.util.Arrays.copyOf(Archives.zip(Archives.files("a.py", "print(1)")), 40);
        refused(truncated, "truncated.zip", 400, "damaged");
        refused(Archives.zip(Archives.files("bin.py", "print(1)\u0000")), "binary.zip", 422, "not UTF-8 text");
    }

    @Test
    void aWrongManifestIsRefused() throws Exception {
        refused(Archives.zip(Archives.files("a.py", "print(1)", "manifest.csv", "file,language\nmissing.py,python\n")),
                "m1.zip", 422, "the manifest names 'missing.py', which is not in the archive");
        refused(Archives.zip(Archives.files("a.py", "print(1)", "manifest.csv", "file,language\na.py,cobol\n")),
                "m2.zip", 422, "the language 'cobol', which is not supported");
        refused(Archives.zip(Archives.files("a.py", "print(1)", "manifest.csv", "file,timeout\na.py,999\n")),
                "m3.zip", 422, "must be between 1 and 300 seconds");
        refused(Archives.zip(Archives.files("a.py", "print(1)", "manifest.json", "{\"oops\": 1}")),
                "m4.zip", 422, "manifest.json must be a list");
        refused(Archives.zip(Archives.files("a.py", "print(1)", "manifest.csv", "file,colour\na.py,red\n")),
                "m5.zip", 422, "unknown column 'colour'");
        // numbers are refused unparsed past 32 characters, and not echoed whole
        refused(Archives.zip(Archives.files("a.py", "print(1)", "manifest.csv", "file,timeout\na.py," + "9".repeat(100_000) + "\n")),
                "m6.zip", 422, "more than 32 characters");
    }

    @Test
    void badDefaultsAreRefusedBeforeAnythingIsMade() throws Exception {
        long batches = count("batch");
        mvc.perform(multipart("/api/batches").file(new MockMultipartFile("file", "ok.zip", "application/zip",
                        Archives.zip(Archives.files("a.py", "print(1)")))).param("timeout", "0"))
                .andExpect(status().isUnprocessableContent());
        mvc.perform(multipart("/api/batches").file(new MockMultipartFile("file", "ok.zip", "application/zip",
                        Archives.zip(Archives.files("a.py", "print(1)")))).param("memory_limit", "lots"))
                .andExpect(status().isUnprocessableContent());
        mvc.perform(multipart("/api/batches")).andExpect(status().isUnprocessableContent());
        for (String field : List.of("timeout", "priority", "memory_limit", "cpu_limit")) {
            String body = mvc.perform(multipart("/api/batches").file(new MockMultipartFile("file", "ok.zip", "application/zip",
                            Archives.zip(Archives.files("a.py", "print(1)")))).param(field, "1".repeat(1_000_000)))
                    .andExpect(status().isUnprocessableContent()).andReturn().getResponse().getContentAsString();
            assertThat(body).as(field).contains("32 characters").hasSizeLessThan(2_000);
        }
        assertThat(count("batch")).isEqualTo(batches);
        assertThat(filesUnder(storage.resolve("batches"))).isEmpty();
    }

    @Test
    void tarHeadersThatClaimAGibibyteAreRefusedBeforeTheyAreRead() throws Exception {
        // about 1 MB compressed each; read into memory, each header would take a gibibyte
        byte[] longName = OversizedArchives.tarGzWithHugeHeader('L', 1L << 30);
        byte[] pax = OversizedArchives.tarGzWithHugeHeader('x', 1L << 30);
        assertThat(longName.length).isLessThan(4 << 20);
        refused(longName, "long-name.tar.gz", 413,
                "a GNU long name header in the archive claims 1073741824 bytes; at most 65536 are accepted");
        refused(pax, "pax.tar.gz", 413, "a PAX extended header in the archive claims 1073741824 bytes; at most 65536 are accepted");
        // the platform is still itself: it answers, and reads the next tar.gz as usual
        mvc.perform(get("/api/batches")).andExpect(status().isOk());
        refused(Archives.tarGz(Archives.files("a/../../b.py", "print(2)")), "slip.tar.gz", 422, "'..' is refused");
    }

    @Test
    void tarHeadersThatOnlyDescribeOtherHeadersOrSparseFilesAreRefused() throws Exception {
        refused(OversizedArchives.tarGzWithHeaderChain(100), "chain.tar.gz", 422,
                "more than 8 extended headers in a row");
        refused(OversizedArchives.tarGzWithPaxSparseFile(), "pax-sparse.tar.gz", 422, "sparse files are refused");
        refused(OversizedArchives.tarGzWithOldGnuSparseFile(), "gnu-sparse.tar.gz", 422, "sparse files are refused");
    }

    @Test
    void folderEntriesCountAgainstTheFileLimit() throws Exception {
        refused(OversizedArchives.zipWithFolders(15, 10), "folders.zip", 413,
                "the archive holds more than 20 files and folders (crucible.batch.max-files)");
        refused(OversizedArchives.tarGzWithFolders(15, 10), "folders.tar.gz", 413,
                "the archive holds more than 20 files and folders (crucible.batch.max-files)");
    }

    @Test
    void aZipWhoseDirectoryListsTooManyEntriesIsRefusedBeforeTheDirectoryIsRead() throws Exception {
        // 70001 entries: a zip64 directory, of folders only (which were not counted at all)
        refused(OversizedArchives.zipWithFolders(1, 70_000), "70k.zip", 413,
                "the archive holds more than 20 files and folders (crucible.batch.max-files): its directory lists 70001");
        // a directory that holds more entries than its end record admits is counted as it is, not as it claims
        byte[] lying = OversizedArchives.withDeclaredEntries(OversizedArchives.zipWithFolders(5, 30), 5);
        refused(lying, "lying.zip", 413, "the archive holds more than 20 files and folders (crucible.batch.max-files)");
    }

    @Test
    void aZipWhoseDirectoryAloneIsOverTheLimitsIsRefused() throws Exception {
        // five programs, well under every limit, but 8 KiB of comment each in the central directory
        refused(OversizedArchives.zipWithLongComments(5, 8192), "comments.zip", 413,
                "the archive's central directory takes");
        refused(OversizedArchives.zipWithLongComments(5, 8192), "comments.zip", 413,
                "more than the 20480 bytes that 20 files and folders may take (crucible.batch.max-files)");
    }

    static String randomText(int length, long seed) {
        java.util.Random random = new java.util.Random(seed);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }
}
