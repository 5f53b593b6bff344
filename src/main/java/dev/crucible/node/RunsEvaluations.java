package dev.crucible.node;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/** A component only processes that run evaluations have ({@code crucible.role} all or worker). */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Conditional(RoleCondition.class)
public @interface RunsEvaluations {
}
