package dev.crucible.storage;

import dev.crucible.support.TestDatabases;
import org.junit.jupiter.api.Tag;

@Tag("postgres")
class PostgresInstallationTest extends InstallationContract {

    @Override
    TestDatabases.Vendor vendor() {
        return TestDatabases.Vendor.POSTGRESQL;
    }
}
