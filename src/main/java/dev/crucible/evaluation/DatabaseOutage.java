package dev.crucible.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A database that does not answer (PostgreSQL restarting, every connection busy past the pool's
 * timeout) is a 503 with {@code Retry-After} wherever it is found: in a controller (see
 * {@link ApiExceptionHandler}) or in a filter in front of it, such as the API key check, which
 * the controllers' advice never sees. Outermost, so every filter's failure reaches it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class DatabaseOutage extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutage.class);

    /** What a client is told; nothing was changed. */
    public static final String MESSAGE = "The database is not answering; nothing was changed. Try again in a few seconds.";
    public static final String RETRY_AFTER_SECONDS = "5";

    /**
     * Whether {@code failure}, or what caused it, says the database did not answer: Spring's
     * resource and transient failures, a connection's SQLState (class 08, connection exception),
     * and a transaction whose rollback or commit failed that way (the statement broke on a dead
     * socket, then the rollback on the closed connection: Spring throws the rollback's failure and
     * keeps the first as its application exception).
     */
    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessException
                    || t instanceof CannotCreateTransactionException || t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
            if (t instanceof org.springframework.transaction.TransactionSystemException tx && tx.getApplicationException() != null
                    && isOutage(tx.getApplicationException())) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (RuntimeException | ServletException e) {
            if (!isOutage(e) || response.isCommitted()) {
                throw e;
            }
            log.warn("The database did not answer {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
            response.resetBuffer();
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
            response.setContentType("application/json");
            response.getOutputStream().write(("{\"detail\":\"" + MESSAGE + "\",\"error\":\"" + MESSAGE + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }
}
