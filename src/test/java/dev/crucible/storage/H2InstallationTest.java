package dev.crucible.storage;

import dev.crucible.support.TestDatabases;

class H2InstallationTest extends InstallationContract {

    @Override
    TestDatabases.Vendor vendor() {
        return TestDatabases.Vendor.H2;
    }
}
