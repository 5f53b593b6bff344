package dev.crucible.node;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * What this process does ({@code crucible.role}): {@code all} (the monolith, the default),
 * {@code api} (the web UI, the REST API and batch ingest; runs no evaluation) or {@code worker}
 * (claims and runs evaluations; answers health only). Same jar, same image.
 */
public enum Role {
    ALL, API, WORKER;

    public static final String PROPERTY = "crucible.role";

    public boolean runsEvaluations() {
        return this != API;
    }

    public boolean servesUsers() {
        return this != WORKER;
    }

    public static Role of(Environment environment) {
        return Binder.get(environment).bind(PROPERTY, Role.class).orElse(ALL);
    }
}
