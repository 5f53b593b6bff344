package dev.crucible.support;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Gives a test application context a storage folder (and so an H2 database) of its own. */
public class TempStorageInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of("crucible.storage-dir=" + TempStorage.create("context")).applyTo(context);
    }
}
