package dev.crucible.node;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * A component only processes that serve users have ({@code crucible.role} all or api): the web
 * UI, the REST API and the jobs of batches, whose uploads live in the batch folder of the api
 * processes.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Conditional(RoleCondition.class)
public @interface ServesUsers {
}
