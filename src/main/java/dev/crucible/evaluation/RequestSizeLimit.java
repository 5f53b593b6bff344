package dev.crucible.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Bounds the body of a submission before anything reads it into memory: a declared length over
 * the bound is answered 413 at once, and a chunked body is cut off (413) when it passes it. The
 * bound leaves room for JSON escapes, which can make a 1 MiB program six times longer on the wire.
 *
 * <p>The body of these two endpoints is JSON whatever the client declared: {@code curl -d '{...}'}
 * says {@code application/x-www-form-urlencoded}, and a form body would be parsed into parameters
 * (and handed on re-encoded, {@code %7B...}), so the request is presented as JSON, with only its
 * query string as parameters.
 */
@Component
class RequestSizeLimit extends OncePerRequestFilter {

    /** The body passed the bound while it was being read. */
    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long limit) {
            super("Request body too large: at most " + limit + " bytes");
        }
    }

    /** The JSON batch form (POST /api/eval-batch) may carry many programs, within this bound. */
    static final long BATCH_LIMIT = 64L << 20;

    private final long limit;

    RequestSizeLimit(LimitsProperties limits) {
        this.limit = 6 * (limits.maxCodeSize().toBytes() + limits.maxStdinSize().toBytes()) + 65536;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod())
                || !(request.getRequestURI().equals("/api/eval") || request.getRequestURI().equals("/api/eval-batch"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = request.getRequestURI().equals("/api/eval-batch") ? BATCH_LIMIT : this.limit;
        if (request.getContentLengthLong() > limit) {
            String message = new BodyTooLargeException(limit).getMessage();
            response.setStatus(413);
            response.setContentType("application/json");
            response.getOutputStream().write(("{\"detail\":\"" + message + "\",\"error\":\"" + message + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(new Bounded(request, limit), response);
    }

    private static final class Bounded extends HttpServletRequestWrapper {
        private static final String JSON = "application/json";
        private final long limit;
        private final boolean form;
        private ServletInputStream stream;
        private Map<String, String[]> queryParameters;

        Bounded(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
            String type = request.getContentType();
            this.form = type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        }

        @Override
        public String getContentType() {
            return form ? JSON : super.getContentType();
        }

        @Override
        public String getHeader(String name) {
            return form && "Content-Type".equalsIgnoreCase(name) ? JSON : super.getHeader(name);
        }

        @Override
        public java.util.Enumeration<String> getHeaders(String name) {
            return form && "Content-Type".equalsIgnoreCase(name) ? java.util.Collections.enumeration(List.of(JSON))
                    : super.getHeaders(name);
        }

        @Override
        public String getParameter(String name) {
            String[] values = getParameterMap().get(name);
            return values == null ? null : values[0];
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            if (!form) {
                return super.getParameterMap();
            }
            if (queryParameters == null) {
                Map<String, String[]> parameters = new java.util.LinkedHashMap<>();
                UriComponentsBuilder.newInstance().query(getQueryString()).build().getQueryParams()
                        .forEach((key, values) -> parameters.put(decode(key), values.stream()
                                .map(v -> v == null ? "" : decode(v)).toArray(String[]::new)));
                queryParameters = java.util.Collections.unmodifiableMap(parameters);
            }
            return queryParameters;
        }

        @Override
        public java.util.Enumeration<String> getParameterNames() {
            return form ? java.util.Collections.enumeration(getParameterMap().keySet()) : super.getParameterNames();
        }

        @Override
        public String[] getParameterValues(String name) {
            return form ? getParameterMap().get(name) : super.getParameterValues(name);
        }

        private static String decode(String text) {
            return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class Counting extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long read;

        Counting(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > limit) {
                throw new BodyTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public long skip(long n) throws IOException {
            return in.skip(n);
        }
    }
}
