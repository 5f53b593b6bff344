package dev.crucible.batch;

import java.util.List;

/**
 * What an upload will become: every file of the archive in order, each a program (with its
 * language and the manifest's stdin, timeout and expected output) or a skipped file.
 */
record BatchPlan(ArchiveFormat format, List<Item> items) {

    record Item(int index, String path, String language, String stdin, Integer timeout, String expectedOutput,
            String skipReason, ProgramSettings settings) {

        Item(int index, String path, String language, String stdin, Integer timeout, String expectedOutput,
                String skipReason) {
            this(index, path, language, stdin, timeout, expectedOutput, skipReason, ProgramSettings.NONE);
        }

        boolean program() {
            return skipReason == null;
        }
    }

    int programs() {
        return (int) items.stream().filter(Item::program).count();
    }

    int skipped() {
        return items.size() - programs();
    }
}
