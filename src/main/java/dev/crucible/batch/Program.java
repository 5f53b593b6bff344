package dev.crucible.batch;

/** One program read from a batch's archive, on its way to become an evaluation. */
record Program(int index, String path, String code, BatchRepository.Item item) {
}
