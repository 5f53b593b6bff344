package dev.crucible.node;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** This process's {@link Role}, for the few places that report it rather than being switched by it. */
@Component
public class NodeRole {

    private final Role role;

    public NodeRole(Environment environment) {
        this.role = Role.of(environment);
    }

    public Role role() {
        return role;
    }
}
