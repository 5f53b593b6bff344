package dev.crucible.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * What a container holds of a run before its program starts: the launcher, the program, the files
 * beside it (in their folders), its stdin and its test cases' inputs in {@code /code}, and a
 * compiled program in {@code /build}. A fresh container gets them as a tar archive copied into
 * its volumes before it starts, read-only and owned by root, so the program (running as nobody)
 * can read but not change them. A pooled container, already running, gets the same files as the
 * launcher's delivery over its attached stdin ({@link #delivery}). Code of any size travels this
 * way, never on a command line.
 */
final class CodeArchive {

    static final String STDIN_FILE = "stdin";
    static final String LAUNCHER_FILE = ".crucible-launch";
    /** Test cases' inputs: {@code <index>/stdin} and {@code <index>/args} (each argument ended by a NUL). */
    static final String CASES_DIR = ".crucible-cases";
    /** Built from src/main/c/crucible-launch.c by the Maven build (static, for the build's CPU). */
    private static final String LAUNCHER_RESOURCE = "crucible-launch";

    /** Records of the launcher's --wait delivery (see crucible-launch.c). */
    private static final int DELIVER_ARG = 1;
    private static final int DELIVER_FILE = 2;
    private static final int DELIVER_GO = 3;

    /** One file: its path relative to its folder, its bytes, and whether it may be executed. */
    record Entry(String name, byte[] content, boolean executable) {
    }

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

    /** The tar archive for a fresh container's {@code /code}: the launcher first, then the run's files. */
    byte[] of(String programFile, String code, String stdin, Map<String, String> files, List<SandboxRequest.Case> cases) {
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry(LAUNCHER_FILE, launcher, true));
        entries.addAll(entries(programFile, code, stdin, files, cases));
        return tar(entries);
    }

    /** The tar archive holding only the launcher (for the pooled containers' launcher volume). */
    byte[] launcherOnly() {
        return tar(List.of(new Entry(LAUNCHER_FILE, launcher, true)));
    }

    /** Whether {@code tar} (as the daemon hands out a copied-out file) holds exactly this build's launcher. */
    boolean isLauncher(InputStream tar) throws IOException {
        try (org.apache.commons.compress.archivers.tar.TarArchiveInputStream in =
                new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(tar)) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry entry = in.getNextEntry();
            return entry != null && entry.getName().equals(LAUNCHER_FILE) && entry.getSize() == launcher.length
                    && java.util.Arrays.equals(in.readAllBytes(), launcher);
        }
    }

    /** A short digest of the launcher: names the volume that holds it, so each build has its own. */
    String launcherDigest() {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(launcher))
                    .substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The compiled program for a run's {@code /build}: root's, read-only, executable where the
     * compiler made it so. The names are the launcher's relative paths (checked on arrival).
     */
    static byte[] ofBuild(List<CollectedFile> files) {
        return tar(buildEntries(files));
    }

    /**
     * The launcher's --wait delivery of one run to a pooled container: the files of {@code /code}
     * and {@code /build}, then the launcher's arguments, then go.
     */
    static byte[] delivery(SandboxRequest request, List<String> launcherArguments) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(request.code().length() + request.stdin().length() + 4096);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (Entry e : entries(request.programFile(), request.code(), request.stdin(), request.files(), request.cases())) {
                deliverFile(out, Sandbox.CODE_DIR + "/" + e.name(), e);
            }
            for (Entry e : buildEntries(request.build())) {
                deliverFile(out, dev.crucible.runtime.Language.BUILD_DIR + "/" + e.name(), e);
            }
            for (String argument : launcherArguments) {
                byte[] value = argument.getBytes(StandardCharsets.UTF_8);
                out.writeByte(DELIVER_ARG);
                out.writeInt(value.length);
                out.write(value);
            }
            out.writeByte(DELIVER_GO);
            out.writeInt(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void deliverFile(DataOutputStream out, String path, Entry e) throws IOException {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        out.writeByte(DELIVER_FILE);
        out.writeInt(3 + name.length + e.content().length);
        out.writeByte(e.executable() ? 1 : 0);
        out.writeShort(name.length);
        out.write(name);
        out.write(e.content());
    }

    /** The run's own files in {@code /code}, in the order they are written. */
    private static List<Entry> entries(String programFile, String code, String stdin, Map<String, String> files,
            List<SandboxRequest.Case> cases) {
        for (String name : files.keySet()) {
            List<String> parts = List.of(name.split("/", -1));
            if (name.startsWith("/") || parts.contains("..") || parts.contains(".") || parts.contains("")
                    || parts.get(0).equals(STDIN_FILE) || parts.get(0).equals(LAUNCHER_FILE) || parts.get(0).equals(CASES_DIR)) {
                throw new IllegalArgumentException("not a name for a program's file: " + name);
            }
        }
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry(programFile, code.getBytes(StandardCharsets.UTF_8), false));
        files.forEach((name, content) -> entries.add(new Entry(name, content.getBytes(StandardCharsets.UTF_8), false)));
        entries.add(new Entry(STDIN_FILE, stdin.getBytes(StandardCharsets.UTF_8), false));
        for (int i = 0; i < cases.size(); i++) {
            entries.add(new Entry(CASES_DIR + "/" + i + "/stdin", cases.get(i).stdin().getBytes(StandardCharsets.UTF_8), false));
            ByteArrayOutputStream args = new ByteArrayOutputStream();
            for (String arg : cases.get(i).args()) {
                args.writeBytes(arg.getBytes(StandardCharsets.UTF_8));
                args.write(0);
            }
            entries.add(new Entry(CASES_DIR + "/" + i + "/args", args.toByteArray(), false));
        }
        return entries;
    }

    private static List<Entry> buildEntries(List<CollectedFile> files) {
        return files.stream().map(f -> new Entry(f.name(), f.content(), f.executable())).toList();
    }

    private static byte[] tar(List<Entry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(entries.stream().mapToInt(e -> e.content().length).sum() + 8192);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            addFolders(tar, entries.stream().map(Entry::name).toList());
            for (Entry e : entries) {
                add(tar, e.name(), e.content(), e.executable() ? 0100555 : 0100444);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The folders the files' paths pass through, each once, read-only and root's, before the files. */
    private static void addFolders(TarArchiveOutputStream tar, Collection<String> paths) throws IOException {
        Set<String> folders = new TreeSet<>();
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
