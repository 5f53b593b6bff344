package dev.crucible.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The tar archive copied into the container's {@code /code} volume before it starts: the
 * launcher, the program, the files beside it (in their folders) and its stdin, read-only and
 * owned by root, so the program (running as
 * nobody) can read but not change them. Code of any size travels this way, never on a command
 * line.
 */
final class CodeArchive {

    static final String STDIN_FILE = "stdin";
    static final String LAUNCHER_FILE = ".crucible-launch";
    /** Test cases' inputs: {@code <index>/stdin} and {@code <index>/args} (each argument ended by a NUL). */
    static final String CASES_DIR = ".crucible-cases";
    /** Built from src/main/c/crucible-launch.c by the Maven build (static, for the build's CPU). */
    private static final String LAUNCHER_RESOURCE = "crucible-launch";

    private final byte[] launcher;

    CodeArchive() {
        try (InputStream in = CodeArchive.class.getResourceAsStream(LAUNCHER_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the sandbox launcher is missing from the build (dev/crucible/sandbox/"
                        + LAUNCHER_RESOURCE + "); build with gcc installed: see README");
            }
            launcher = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] of(String programFile, String code, String stdin, java.util.Map<String, String> files) {
        return of(programFile, code, stdin, files, java.util.List.of());
    }

    byte[] of(String programFile, String code, String stdin, java.util.Map<String, String> files,
            java.util.List<SandboxRequest.Case> cases) {
        byte[] program = code.getBytes(StandardCharsets.UTF_8);
        byte[] input = stdin.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(launcher.length + program.length + input.length + 8192);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            add(tar, LAUNCHER_FILE, launcher, 0100555);
            add(tar, programFile, program, 0100444);
            for (String name : files.keySet()) {
                java.util.List<String> parts = java.util.List.of(name.split("/", -1));
                if (name.startsWith("/") || parts.contains("..") || parts.contains(".") || parts.contains("")
                        || parts.get(0).equals(STDIN_FILE) || parts.get(0).equals(LAUNCHER_FILE) || parts.get(0).equals(CASES_DIR)) {
                    throw new IllegalArgumentException("not a name for a program's file: " + name);
                }
            }
            addFolders(tar, files.keySet());
            for (var file : files.entrySet()) {
                add(tar, file.getKey(), file.getValue().getBytes(StandardCharsets.UTF_8), 0100444);
            }
            add(tar, STDIN_FILE, input, 0100444);
            if (!cases.isEmpty()) {
                java.util.List<String> paths = new java.util.ArrayList<>();
                for (int i = 0; i < cases.size(); i++) {
                    paths.add(CASES_DIR + "/" + i + "/stdin");
                }
                addFolders(tar, paths);
                for (int i = 0; i < cases.size(); i++) {
                    add(tar, CASES_DIR + "/" + i + "/stdin", cases.get(i).stdin().getBytes(StandardCharsets.UTF_8), 0100444);
                    ByteArrayOutputStream args = new ByteArrayOutputStream();
                    for (String arg : cases.get(i).args()) {
                        args.writeBytes(arg.getBytes(StandardCharsets.UTF_8));
                        args.write(0);
                    }
                    add(tar, CASES_DIR + "/" + i + "/args", args.toByteArray(), 0100444);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The compiled program for a run's {@code /build}: root's, read-only, executable where the
     * compiler made it so. The names are the launcher's relative paths (checked on arrival).
     */
    static byte[] ofBuild(java.util.List<CollectedFile> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            addFolders(tar, files.stream().map(CollectedFile::name).toList());
            for (CollectedFile file : files) {
                add(tar, file.name(), file.content(), file.executable() ? 0100555 : 0100444);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The folders the files' paths pass through, each once, read-only and root's, before the files. */
    private static void addFolders(TarArchiveOutputStream tar, java.util.Collection<String> paths) throws IOException {
        java.util.Set<String> folders = new java.util.TreeSet<>();
        for (String path : paths) {
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                folders.add(path.substring(0, slash));
            }
        }
        for (String folder : folders) {
            TarArchiveEntry entry = new TarArchiveEntry(folder + "/");
            entry.setMode(040555);
            entry.setIds(0, 0);
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
        }
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setMode(mode);
        entry.setIds(0, 0);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
