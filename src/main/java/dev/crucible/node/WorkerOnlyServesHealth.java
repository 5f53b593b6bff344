package dev.crucible.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A worker answers health checks and its metrics and nothing else: no pages, no API (404). Its users talk to
 * the api nodes; what it runs reaches them through the shared database.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
@Conditional(WorkerOnlyServesHealth.OnWorker.class)
class WorkerOnlyServesHealth extends OncePerRequestFilter {

    static class OnWorker implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !Role.of(context.getEnvironment()).servesUsers();
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals("/health") || path.equals("/actuator/health") || path.startsWith("/actuator/health/")
                || path.equals("/actuator/prometheus")) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = "{\"detail\":\"This is a worker: it answers /health and /actuator/prometheus only. Use an api node.\"}"
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(404);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
