package dev.crucible.node;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Whether this process's {@link Role} has a component marked {@link RunsEvaluations} or {@link ServesUsers}. */
final class RoleCondition implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Role role = Role.of(context.getEnvironment());
        if (metadata.isAnnotated(RunsEvaluations.class.getName()) && !role.runsEvaluations()) {
            return false;
        }
        return !metadata.isAnnotated(ServesUsers.class.getName()) || role.servesUsers();
    }
}
